/**
 * Polls `check` every 50 ms until it holds or `timeoutMs` passed; the
 * caller asserts afterwards, so a timeout shows as the failed assertion.
 *
 * @example
 * ```ts
 * import { waitUntil } from "./wait.ts";
 * let done = false;
 * setTimeout(() => done = true, 10);
 * await waitUntil(() => done, 1000);
 * ```
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}
