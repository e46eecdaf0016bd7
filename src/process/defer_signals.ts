/** The signals held back: Ctrl-C and a polite kill. */
const HELD: readonly Deno.Signal[] = ["SIGINT", "SIGTERM"];

/** SIGINT and SIGTERM held back until {@linkcode SignalHold.release}. */
export interface SignalHold {
  /** The signals that arrived meanwhile, in order. */
  readonly received: readonly Deno.Signal[];
  /** Stops holding and sends each signal that arrived again, so it takes its usual effect. */
  release(): void;
}

/**
 * Holds SIGINT and SIGTERM back from now on: they are recorded instead of
 * taking effect (another listener's, or the default: exit) until
 * `release()`, which delivers each again. For a step that must end in one of
 * two states, e.g. writing a set of files: check `received` between steps to
 * give up early and clean up, and release at the end.
 *
 * @example
 * ```ts
 * const hold = holdSignals();
 * try {
 *   await Deno.writeTextFile("a.tmp", "...");
 *   if (hold.received.length === 0) await Deno.rename("a.tmp", "a.json");
 * } finally {
 *   await Deno.remove("a.tmp").catch(() => {});
 *   hold.release();
 * }
 * ```
 */
export function holdSignals(): SignalHold {
  const received: Deno.Signal[] = [];
  const listeners = HELD.map((signal) => [signal, () => received.push(signal)] as const);
  const added = listeners.filter(([signal, listener]) => {
    try {
      Deno.addSignalListener(signal, listener);
      return true;
    } catch {
      return false; // a platform without this signal (Windows has no SIGTERM listener)
    }
  });
  return {
    received,
    release() {
      added.forEach(([signal, listener]) => Deno.removeSignalListener(signal, listener));
      added.length = 0;
      for (const signal of new Set(received)) Deno.kill(Deno.pid, signal);
    },
  };
}

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
  const hold = holdSignals();
  try {
    return await fn();
  } finally {
    hold.release();
  }
}
