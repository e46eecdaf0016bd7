import type { AbortReason } from "./reasons.ts";

/**
 * Bytes that are not a valid PS3.8 PDU. `reason` is the PS3.8 A-ABORT reason
 * we answer with (Table 9-26); `offset` is where in the PDU the fault is.
 *
 * @example
 * ```ts
 * import { PduError } from "./pdu_error.ts";
 * const e = new PduError({ reason: "unrecognized-pdu", offset: 0, message: "Cannot decode PDU: type 0x09 is not a PS3.8 PDU type" });
 * e.name; // "PduError"
 * ```
 */
export class PduError extends Error {
  /** The error name, "PduError". */
  override name = "PduError";
  /** The PS3.8 A-ABORT reason this fault calls for. */
  readonly reason: AbortReason;
  /** Byte offset from the start of the PDU. */
  readonly offset: number;
  /** An error at `offset` in the PDU that calls for an A-ABORT with `reason`. */
  constructor(options: { reason: AbortReason; offset: number; message: string }) {
    super(options.message);
    this.reason = options.reason;
    this.offset = options.offset;
  }
}

/**
 * A PDU header declared a length above the configured maximum: refused
 * before a byte of its body was buffered.
 *
 * @example
 * ```ts
 * import { PduError, PduLengthExceeded } from "./pdu_error.ts";
 * const e = new PduLengthExceeded({ declaredLength: 0xffffffff, maxLength: 65536 });
 * e instanceof PduError; // true
 * ```
 */
export class PduLengthExceeded extends PduError {
  /** The error name, "PduLengthExceeded". */
  override name = "PduLengthExceeded";
  /** The length the PDU header declared. */
  readonly declaredLength: number;
  /** The largest length accepted. */
  readonly maxLength: number;
  /** An error for a declared length above the maximum. */
  constructor(options: { declaredLength: number; maxLength: number }) {
    super({
      reason: "invalid-pdu-parameter-value",
      offset: 2,
      message:
        `Cannot accept PDU: declared length ${options.declaredLength} exceeds the maximum ${options.maxLength}`,
    });
    this.declaredLength = options.declaredLength;
    this.maxLength = options.maxLength;
  }
}
