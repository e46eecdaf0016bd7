/**
 * Headless Chromium for the HTML report tests: Debian's `/usr/bin/chromium`
 * driven by playwright-core (no browser download), with everything that
 * would reach the network switched off.
 *
 * @module
 */
import { type Browser, chromium } from "./playwright.ts";

/** Where Debian's chromium package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Starts headless Chromium; close it with `browser.close()`. Check
 * `havePeer("chromium", "chromium")` first.
 *
 * @example
 * ```ts
 * import { launchChromium } from "./browser.ts";
 * const browser = await launchChromium();
 * const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
 * await browser.close();
 * ```
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
