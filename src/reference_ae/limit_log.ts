import { clearTimeout, setTimeout } from "node:timers";
import type { LimitHit } from "../tls/mod.ts";
import type { AssociationLog } from "./association_log.ts";

/** How long the lines of one limit and address are gathered into one. */
const WINDOW_MS = 1000;

const LIMIT_NAMES: Record<LimitHit["limit"], (address: string) => string> = {
  "connections": () => "open connections in all (maxConnections)",
  "per-address": (address) => `open connections from ${address} (maxConnectionsPerAddress)`,
};

/**
 * The log lines of connections closed at once because a connection limit
 * was reached (`result: "connection-limit"`): the first of a limit and
 * peer address at once, the others of the next second as one line that
 * counts them, so that a flood of connections cannot flood the log.
 *
 * @example
 * ```ts
 * import { LimitLog } from "./limit_log.ts";
 * const log = new LimitLog((entry) => console.log(entry.detail));
 * log.hit({ peer: "127.0.0.1:50000", limit: "per-address", open: 64, max: 64 });
 * log.flush();
 * ```
 */
export class LimitLog {
  #onLog: (entry: AssociationLog) => void;
  #pending = new Map<string, { hit: LimitHit & { peer: string }; count: number }>();
  #timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** `onLog` takes each line. */
  constructor(onLog: (entry: AssociationLog) => void) {
    this.#onLog = onLog;
  }

  /** A connection closed at once by a limit. */
  hit(hit: LimitHit & { peer: string }): void {
    const key = `${hit.limit} ${address(hit.peer)}`;
    const pending = this.#pending.get(key);
    if (pending) {
      pending.hit = hit;
      pending.count++;
      return;
    }
    if (this.#timers.has(key)) {
      this.#pending.set(key, { hit, count: 1 });
      return;
    }
    this.#log(hit, 1);
    const timer = setTimeout(() => this.#close(key), WINDOW_MS);
    timer.unref();
    this.#timers.set(key, timer);
  }

  /** Writes what was gathered now (when the AE stops). */
  flush(): void {
    for (const key of [...this.#timers.keys()]) this.#close(key);
  }

  #close(key: string): void {
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
    const pending = this.#pending.get(key);
    this.#pending.delete(key);
    if (pending) this.#log(pending.hit, pending.count);
  }

  #log(hit: LimitHit & { peer: string }, count: number): void {
    const what = LIMIT_NAMES[hit.limit](address(hit.peer));
    const many = count === 1 ? "a connection" : `${count} connections (the last shown)`;
    this.#onLog({
      time: new Date().toISOString(),
      peer: hit.peer,
      result: "connection-limit",
      dimse: [],
      detail: `${many} closed at once: ${hit.open} ${what} reached the limit of ${hit.max}`,
      durationMs: 0,
    });
  }
}

// "127.0.0.1:50000" -> "127.0.0.1"; "::1:50000" -> "::1".
function address(peer: string): string {
  return peer.slice(0, peer.lastIndexOf(":"));
}
