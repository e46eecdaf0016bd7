import type { Duplex } from "node:stream";
import { AssociationTimeout } from "./errors.ts";
import type { State } from "./state_machine.ts";

/**
 * Milliseconds until `deadline` (a performance.now() time; at least 1), or
 * `ms` when that comes first: every wait of an association ends by it.
 *
 * @example
 * ```ts
 * import { untilDeadline } from "./_send_deadline.ts";
 * untilDeadline(Infinity, 5000); // 5000
 * ```
 */
export function untilDeadline(deadline: number, ms: number): number {
  return Math.max(1, Math.min(ms, deadline - performance.now()));
}

/**
 * Our P-DATA-TFs against the association's deadline. Past it nothing more
 * is sent: a peer that reads everything but asks for tiny PDUs (a maximum
 * length of 7: one data byte each) would otherwise keep a large data set
 * going long after it, the drain never making us wait. And a peer that
 * stops reading fills our send buffer: the wait for it to drain ends by the
 * deadline, as every other wait does.
 *
 * @example
 * ```ts
 * import { SendDeadline } from "./_send_deadline.ts";
 * import type { Duplex } from "node:stream";
 * declare const socket: Duplex;
 * const sends = new SendDeadline(socket, performance.now() + 5000);
 * sends.check("Sta6", () => "its maximum length 16384 bytes");
 * // ... write one P-DATA-TF ...
 * await sends.sent("Sta6");
 * ```
 */
export class SendDeadline {
  readonly #socket: Duplex;
  readonly #deadline: number;
  /** When our first P-DATA-TF went, and how many went: the words of a send cut by the deadline. */
  #since?: number;
  #sent = 0;

  /** Sends over `socket` that end by `deadline` (performance.now(); Infinity: none). */
  constructor(socket: Duplex, deadline: number) {
    this.#socket = socket;
    this.#deadline = deadline;
  }

  /**
   * Before a P-DATA-TF: throws {@linkcode AssociationTimeout} once the
   * deadline passed; `peerMaxLength` words the peer's maximum PDU length.
   */
  check(state: State, peerMaxLength: () => string): void {
    const now = performance.now();
    this.#since ??= now;
    if (now < this.#deadline) return;
    throw new AssociationTimeout({
      waitingFor: `the peer to take our P-DATA-TFs (${this.#sent} sent, ${peerMaxLength()})`,
      timeoutMs: now - this.#since,
      state,
    });
  }

  /** After a P-DATA-TF went: counts it and waits, until the deadline, for the peer to read it. */
  async sent(state: State): Promise<void> {
    this.#sent++;
    const s = this.#socket;
    if (!s.writableNeedDrain || s.destroyed) return;
    const timeoutMs = untilDeadline(this.#deadline, Infinity);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const drained = await new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        s.off("drain", onDrain);
        s.off("close", onDrain);
        resolve(ok);
      };
      const onDrain = () => done(true);
      s.once("drain", onDrain);
      s.once("close", onDrain);
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => done(false), timeoutMs);
    });
    if (!drained) {
      throw new AssociationTimeout({
        waitingFor:
          "the peer to read our P-DATA-TF (it stopped reading: our send buffer stayed full)",
        timeoutMs,
        state,
      });
    }
  }
}
