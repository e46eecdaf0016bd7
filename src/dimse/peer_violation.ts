import { DimseError } from "./command.ts";

/** Options for {@linkcode DimsePeerViolation}. */
export interface DimsePeerViolationOptions extends ErrorOptions {
  /** Our operation the peer answered wrongly, e.g. "C-ECHO". */
  operation: string;
  /** Our request's Message ID (0000,0110), when the violation is about that message. */
  messageId?: number;
  /** What the peer did, e.g. "its C-ECHO-RSP responds to message 2". */
  violation: string;
}

/**
 * The peer broke PS3.7/PS3.8 in answering our operation, and we aborted the
 * association. `message` names the operation, for where it stands alone;
 * `words` leaves it out, for a record of the operation, which names it
 * already ("C-ECHO C-ECHO (our message 1) failed" was printed).
 *
 * @example
 * ```ts
 * import { DimsePeerViolation } from "./peer_violation.ts";
 * const e = new DimsePeerViolation({ operation: "C-ECHO", messageId: 1, violation: "it sent no status" });
 * e.message; // "C-ECHO (our message 1) failed: protocol violation by the peer: it sent no status; aborted by us"
 * e.words; // "our message 1: protocol violation by the peer: it sent no status; aborted by us"
 * ```
 */
export class DimsePeerViolation extends DimseError {
  /** The error name, "DimsePeerViolation". */
  override name = "DimsePeerViolation";
  /** The operation, e.g. "C-ECHO". */
  readonly operation: string;
  /** The failure without the operation's name. */
  readonly words: string;

  /** A violation of the peer in answering `operation`. */
  constructor(options: DimsePeerViolationOptions) {
    const { operation, messageId, violation, ...errorOptions } = options;
    const what = `protocol violation by the peer: ${violation}; aborted by us`;
    super(
      `${operation}${messageId === undefined ? "" : ` (our message ${messageId})`} failed: ${what}`,
      errorOptions,
    );
    this.operation = operation;
    this.words = messageId === undefined ? what : `our message ${messageId}: ${what}`;
  }
}
