import type {
  AbortReason,
  AbortSource,
  RejectReason,
  RejectResult,
  RejectSource,
} from "./reasons.ts";
import { type Event, EVENTS, type State, STATES } from "./state_machine.ts";

/**
 * The peer (or, on the acceptor side, our `decide`) rejected the association
 * with an A-ASSOCIATE-RJ; result, source and reason are PS3.8 Table 9-21 names.
 *
 * @example
 * ```ts
 * import { AssociationRejected } from "./errors.ts";
 * const e = new AssociationRejected({ result: "rejected-permanent", source: "service-user", reason: "called-ae-title-not-recognized" });
 * e.message; // "Association rejected: rejected-permanent, service-user, called-ae-title-not-recognized"
 * ```
 */
export class AssociationRejected extends Error {
  /** The error name, "AssociationRejected". */
  override name = "AssociationRejected";
  /** Permanent or transient. */
  readonly result: RejectResult;
  /** Who rejected: the service user or a service provider. */
  readonly source: RejectSource;
  /** Why, e.g. "called-ae-title-not-recognized". */
  readonly reason: RejectReason;
  /** An error for the A-ASSOCIATE-RJ with these fields. */
  constructor(rj: { result: RejectResult; source: RejectSource; reason: RejectReason }) {
    super(`Association rejected: ${rj.result}, ${rj.source}, ${rj.reason}`);
    this.result = rj.result;
    this.source = rj.source;
    this.reason = rj.reason;
  }
}

/**
 * The association ended with an A-ABORT: received from the peer (`by: "peer"`),
 * or sent by our provider because the peer broke the protocol (`by: "us"`).
 *
 * @example
 * ```ts
 * import { AssociationAborted } from "./errors.ts";
 * const e = new AssociationAborted({ source: "service-user", reason: "reason-not-specified", by: "peer", state: "Sta6" });
 * ```
 */
export class AssociationAborted extends Error {
  /** The error name, "AssociationAborted". */
  override name = "AssociationAborted";
  /** Who aborted: the service user or the service provider. */
  readonly source: AbortSource;
  /** Why, e.g. "unexpected-pdu". */
  readonly reason: AbortReason;
  /** Whether the A-ABORT came from the peer or was sent by us. */
  readonly by: "peer" | "us";
  /** The association state (PS3.8 Table 9-10) it happened in. */
  readonly state: State;
  /** An error for an A-ABORT, with an optional detail for the message. */
  constructor(
    options: {
      source: AbortSource;
      reason: AbortReason;
      by: "peer" | "us";
      state: State;
      detail?: string;
    },
  ) {
    super(
      `Association aborted by ${
        options.by === "peer" ? "the peer" : "us"
      } in ${options.state}: ${options.source}, ${options.reason}${
        options.detail ? ` (${options.detail})` : ""
      }`,
    );
    this.source = options.source;
    this.reason = options.reason;
    this.by = options.by;
    this.state = options.state;
  }
}

/**
 * Nothing came from the peer within the time allowed: `waitingFor` says for what.
 *
 * @example
 * ```ts
 * import { AssociationTimeout } from "./errors.ts";
 * const e = new AssociationTimeout({ waitingFor: "A-ASSOCIATE-AC", timeoutMs: 5000, state: "Sta5" });
 * ```
 */
export class AssociationTimeout extends Error {
  /** The error name, "AssociationTimeout". */
  override name = "AssociationTimeout";
  /** What we were waiting for, e.g. "A-ASSOCIATE-AC". */
  readonly waitingFor: string;
  /** How long we waited. */
  readonly timeoutMs: number;
  /** The association state it happened in. */
  readonly state: State;
  /** An error for a wait that ran out. */
  constructor(options: { waitingFor: string; timeoutMs: number; state: State }) {
    // Whole milliseconds: a wait computed from a deadline is fractional.
    super(
      `Timed out after ${
        Math.round(options.timeoutMs)
      } ms in ${options.state} waiting for ${options.waitingFor}`,
    );
    this.waitingFor = options.waitingFor;
    this.timeoutMs = options.timeoutMs;
    this.state = options.state;
  }
}

/**
 * The transport connection closed (or failed) without an A-ABORT while the
 * association needed it (PS3.8 A-P-ABORT, AA-4). When the transport failed
 * (a reset, a TLS alert after the handshake) its error is `cause`.
 *
 * @example
 * ```ts
 * import { ConnectionClosed } from "./errors.ts";
 * const e = new ConnectionClosed({ state: "Sta5", error: new Error("read ECONNRESET") });
 * e.message; // "Connection closed by the peer in Sta5: read ECONNRESET"
 * ```
 */
export class ConnectionClosed extends Error {
  /** The error name, "ConnectionClosed". */
  override name = "ConnectionClosed";
  /** The association state it happened in. */
  readonly state: State;
  /** An error for a lost connection; `cause` or the transport `error` explains it. */
  constructor(options: { state: State; cause?: string; error?: Error }) {
    const detail = options.cause ?? options.error?.message;
    super(`Connection closed by the peer in ${options.state}${detail ? `: ${detail}` : ""}`, {
      cause: options.error,
    });
    this.state = options.state;
  }
}

/**
 * The peer sent a well-formed PDU that PS3.8 does not allow in the current
 * state (e.g. A-ASSOCIATE-AC in Sta6); we answered with an A-ABORT (AA-8).
 *
 * @example
 * ```ts
 * import { ProtocolError } from "./errors.ts";
 * const e = new ProtocolError({ state: "Sta6", event: "Evt3", pduType: "A-ASSOCIATE-AC" });
 * ```
 */
export class ProtocolError extends Error {
  /** The error name, "ProtocolError". */
  override name = "ProtocolError";
  /** The association state the PDU came in. */
  readonly state: State;
  /** The PS3.8 event the PDU was, e.g. "Evt3". */
  readonly event: Event;
  /** An error for a PDU of type `pduType` not allowed in `state`. */
  constructor(options: { state: State; event: Event; pduType: string }) {
    super(
      `Unexpected ${options.pduType} in ${options.state} (${options.event}): the association was aborted`,
    );
    this.state = options.state;
    this.event = options.event;
  }
}

/**
 * A local request that PS3.8 Table 9-10 does not allow in the current state
 * (e.g. sending data after release): our caller's mistake, nothing was sent.
 *
 * @example
 * ```ts
 * import { IllegalEvent } from "./errors.ts";
 * const e = new IllegalEvent({ state: "Sta1", event: "Evt9" });
 * e.message; // "Illegal event Evt9 (P-DATA request primitive) in Sta1 (Idle)"
 * ```
 */
export class IllegalEvent extends Error {
  /** The error name, "IllegalEvent". */
  override name = "IllegalEvent";
  /** The association state. */
  readonly state: State;
  /** The local event PS3.8 does not allow in that state. */
  readonly event: Event;
  /** An error for a local request not allowed in `state`. */
  constructor(options: { state: State; event: Event }) {
    super(
      `Illegal event ${options.event} (${EVENTS[options.event]}) in ${options.state} (${
        STATES[options.state]
      })`,
    );
    this.state = options.state;
    this.event = options.event;
  }
}
