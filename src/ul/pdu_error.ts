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
  override name = "PduError";
  /** The PS3.8 A-ABORT reason this fault calls for. */
  readonly reason: AbortReason;
  /** Byte offset from the start of the PDU. */
  readonly offset: number;
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
  override name = "PduLengthExceeded";
  readonly declaredLength: number;
  readonly maxLength: number;
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
