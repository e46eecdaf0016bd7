import type { PduTrace } from "../outcome/mod.ts";

/** PDU traces a conversation lists from its start; then only its last {@linkcode TAIL_TRACES}. */
export const MAX_TRACED_PDUS = 1_000;
/** PDU traces kept from the end of a conversation longer than {@linkcode MAX_TRACED_PDUS}. */
export const TAIL_TRACES = 100;

/**
 * The PDU traces of one conversation, bounded: the first
 * {@linkcode MAX_TRACED_PDUS} and the last {@linkcode TAIL_TRACES}, the
 * ones between counted. A peer that asks for 7-byte P-DATA-TFs makes a data
 * set of megabytes millions of PDUs, and a trace of each held 600 MB after
 * 30 s; the start (the negotiation) and the end (the answer, the release or
 * abort) are what a report shows.
 *
 * @example
 * ```ts
 * import { PduTraces } from "./pdu_traces.ts";
 * const traces = new PduTraces();
 * traces.add({ direction: "sent", type: "A-RELEASE-RQ", length: 10, atMs: 1, fields: {} });
 * traces.list(); // the one trace
 * traces.notListed; // 0
 * ```
 */
export class PduTraces {
  /** The first traces, in order: also what is seen while the association is negotiated. */
  readonly first: PduTrace[] = [];
  #tail: PduTrace[] = [];
  #tailAt = 0;
  /** How many traces are neither among the first nor the last. */
  notListed = 0;

  /** Takes the next trace. */
  add(trace: PduTrace): void {
    if (this.first.length < MAX_TRACED_PDUS) return void this.first.push(trace);
    if (this.#tail.length < TAIL_TRACES) return void this.#tail.push(trace);
    this.#tail[this.#tailAt] = trace;
    this.#tailAt = (this.#tailAt + 1) % TAIL_TRACES;
    this.notListed++;
  }

  /** The traces kept, in order. */
  list(): PduTrace[] {
    return [...this.first, ...this.#tail.slice(this.#tailAt), ...this.#tail.slice(0, this.#tailAt)];
  }
}
