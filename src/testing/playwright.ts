/**
 * playwright-core, which drives the headless Chromium of the HTML report
 * tests, by its npm specifier: a test-only package stays out of deno.json's
 * imports, so that `deno task demo` and the installed `dicomtls` never fetch it.
 *
 * @example
 * ```ts
 * import { chromium } from "./playwright.ts";
 * const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
 * await browser.close();
 * ```
 * @module
 */
export { chromium } from "npm:playwright-core@^1.65.1";
export type { Browser, Page } from "npm:playwright-core@^1.65.1";
