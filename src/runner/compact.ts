import type { Outcome, WireDirection } from "../outcome/mod.ts";
import type { CaseResult } from "./result.ts";

/** Cases kept with every detail, whatever their status: the first of the run. */
export const DETAILED_CASES = 1000;
/** Cases that did not pass kept with every detail besides those: the first of the run. */
export const DETAILED_FAILURES = 1000;

/** Values shared between cases at most (a bound on the compactor's own memory). */
const MAX_SHARED = 10_000;

/**
 * Keeps a long run's memory bounded: every result stays until the reports
 * are written, so what each holds counts 100,000 times. Once a case is
 * final, `compact` makes its result share the values that repeat from case
 * to case (its settings and assertions, the peer's certificate and chain,
 * our verdict on it, the TCP, TLS and association stages) with the cases
 * before it, and, past the first {@linkcode DETAILED_CASES} results
 * and {@linkcode DETAILED_FAILURES} results that did not pass, drops what
 * only the exchange view of a report shows: the PDU traces and the wire's
 * records, hellos and certificates, the first bytes of a TLS peer, and the
 * timing of each direction's first bytes (which are cut to a record
 * header). Counts stay: `outcome.trimmed` says how many PDUs and records
 * went, `wire.recordsOmitted` includes them.
 * Expectations were evaluated before, so no verdict changes.
 *
 * @example
 * ```ts
 * import { ResultCompactor } from "./compact.ts";
 * import type { CaseResult } from "./result.ts";
 * declare const results: CaseResult[];
 * const compactor = new ResultCompactor();
 * for (const r of results) compactor.compact(r);
 * ```
 */
export class ResultCompactor {
  #detailed = 0;
  #detailedFailures = 0;
  #shared = new Map<string, unknown>();

  /** Compacts a final result in place. */
  compact(result: CaseResult): void {
    if (result.settings) result.settings = this.#one(result.settings);
    result.assertions = this.#one(result.assertions);
    const outcome = result.outcome;
    if (!outcome) return;
    this.#share(outcome);
    const passed = result.status === "passed" || result.status === "expected-failure";
    if (this.#detailed < DETAILED_CASES) this.#detailed++;
    else if (!passed && this.#detailedFailures < DETAILED_FAILURES) this.#detailedFailures++;
    else trim(outcome, (v) => this.#one(v));
  }

  // What repeats from case to case: the peer, our verdict, the TCP, TLS and association stages.
  #share(outcome: Outcome): void {
    const tls = outcome.tls;
    if (tls?.peer) tls.peer = this.#one(tls.peer);
    if (tls?.verification) tls.verification = this.#one(tls.verification);
    if (tls) outcome.tls = this.#one(tls);
    if (outcome.association) outcome.association = this.#one(outcome.association);
    outcome.tcp = this.#one(outcome.tcp);
    outcome.target = this.#one(outcome.target);
  }

  // The first value equal to this one (by its JSON), kept while there is room.
  #one<T>(value: T): T {
    const key = JSON.stringify(value);
    const known = this.#shared.get(key);
    if (known !== undefined) return known as T;
    if (this.#shared.size < MAX_SHARED) this.#shared.set(key, value);
    return value;
  }
}

function trim(outcome: Outcome, one: <T>(value: T) => T): void {
  const wire = outcome.wire;
  const trimmed = { pdus: outcome.pdus.length, records: wire?.records.length ?? 0 };
  if (!trimmed.pdus && !wire) return;
  outcome.pdus = one([]);
  outcome.trimmed = one(trimmed);
  if (!wire) return;
  outcome.wire = {
    role: wire.role,
    durationMs: wire.durationMs,
    sent: one(direction(wire.sent)),
    received: one(direction(wire.received)),
    peerSpokeTls: wire.peerSpokeTls,
    // What a peer that did not speak TLS sent is worth its bytes; a TLS record's are not.
    ...(wire.peerFirstBytes && !wire.peerSpokeTls ? { peerFirstBytes: wire.peerFirstBytes } : {}),
    clientHellos: wire.clientHellos,
    tls13Encrypted: wire.tls13Encrypted,
    alerts: one(wire.alerts),
    records: one([]),
    recordsOmitted: wire.recordsOmitted + wire.records.length,
    close: one(wire.close),
    errors: one(wire.errors),
  };
}

// One direction's counts, its first bytes cut to a record header (5 bytes), without its timing.
function direction(d: WireDirection): WireDirection {
  const { firstAtMs: _, ...rest } = d;
  return { ...rest, firstBytes: d.firstBytes.slice(0, 10) };
}
