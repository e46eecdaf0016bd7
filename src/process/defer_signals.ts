/** The signals {@linkcode withSignalsDeferred} holds back: Ctrl-C and a polite kill. */
const DEFERRED: readonly Deno.Signal[] = ["SIGINT", "SIGTERM"];

/**
 * Runs `fn` with SIGINT and SIGTERM held back, for a short step that must not
 * be cut in half (renaming a set of files into place). A signal that arrives
 * meanwhile is sent again to this process once `fn` has settled, so it then
 * takes its usual effect (another listener's, or the default: exit).
 *
 * @example
 * ```ts
 * await withSignalsDeferred(async () => {
 *   await Deno.rename("a.tmp", "a.json");
 *   await Deno.rename("b.tmp", "b.xml");
 * });
 * ```
 */
export async function withSignalsDeferred<T>(fn: () => Promise<T> | T): Promise<T> {
  const received: Deno.Signal[] = [];
  const listeners = DEFERRED.map((signal) => [signal, () => received.push(signal)] as const);
  const added = listeners.filter(([signal, listener]) => {
    try {
      Deno.addSignalListener(signal, listener);
      return true;
    } catch {
      return false; // a platform without this signal (Windows has no SIGTERM listener)
    }
  });
  try {
    return await fn();
  } finally {
    added.forEach(([signal, listener]) => Deno.removeSignalListener(signal, listener));
    for (const signal of new Set(received)) Deno.kill(Deno.pid, signal);
  }
}
