import { PDU_TYPE_CODES } from "./pdu.ts";
import { PduError, PduLengthExceeded } from "./pdu_error.ts";

const HEADER = 6;
const PDU_TYPES = new Set<number>(Object.values(PDU_TYPE_CODES));

/**
 * Assembles whole PDUs from a byte stream (PS3.8 9.3.1: a 6-byte header with
 * a 4-byte length). It refuses a PDU type PS3.8 does not define at its first
 * byte, checks the declared length against `maxLength` as soon as the header
 * is complete, before buffering any of the body, and allocates exactly the
 * declared length: never more than `maxLength + 6` bytes.
 *
 * @example
 * ```ts
 * import { PduFramer } from "./framer.ts";
 * const framer = new PduFramer({ maxLength: 65536 });
 * const pdus = framer.push(new Uint8Array([5, 0, 0, 0, 0, 4, 0, 0, 0, 0])); // one A-RELEASE-RQ
 * ```
 */
export class PduFramer {
  /** The largest PDU length field (bytes after the header) accepted. */
  readonly maxLength: number;
  #header = new Uint8Array(HEADER);
  #headerFill = 0;
  #pdu: Uint8Array | null = null;
  #pduFill = 0;
  #failed: PduError | null = null;
  #type: number | undefined;

  /** `maxLength`: the largest PDU length field (bytes after the header) we accept. */
  constructor(options: { maxLength: number }) {
    this.maxLength = options.maxLength;
  }

  /** The fault that ended framing, if any (see {@linkcode PduFramer.push}). */
  get failure(): PduError | undefined {
    return this.#failed ?? undefined;
  }

  /** The type byte of the PDU being assembled, or of the one refused (undefined before any). */
  get pduType(): number | undefined {
    return this.#type;
  }

  /** Bytes held for the PDU being assembled (header included). */
  get bufferedBytes(): number {
    return this.#pdu ? this.#pdu.length : this.#headerFill;
  }

  /**
   * Adds bytes; returns the PDUs they complete, header included. A fault
   * ({@linkcode PduError} `unrecognized-pdu` at a first byte that is no PDU
   * type, {@linkcode PduLengthExceeded} for a header above the maximum) is
   * thrown, unless whole PDUs came before it in this chunk: then they are
   * returned and {@linkcode PduFramer.failure} holds it. Every later push
   * throws it again: the stream cannot be resynchronised.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failed) throw this.#failed;
    const out: Uint8Array[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (!this.#pdu) {
        if (this.#headerFill === 0) {
          // Garbage is refused at its first byte: nothing of it is held or framed.
          this.#type = chunk[at];
          if (!PDU_TYPES.has(this.#type)) {
            this.#failed = unrecognized(this.#type);
            return this.#fail(out);
          }
        }
        const n = Math.min(HEADER - this.#headerFill, chunk.length - at);
        this.#header.set(chunk.subarray(at, at + n), this.#headerFill);
        this.#headerFill += n;
        at += n;
        if (this.#headerFill < HEADER) break;
        const length = new DataView(this.#header.buffer).getUint32(2);
        if (length > this.maxLength) {
          this.#failed = new PduLengthExceeded({
            declaredLength: length,
            maxLength: this.maxLength,
          });
          return this.#fail(out);
        }
        this.#pdu = new Uint8Array(HEADER + length);
        this.#pdu.set(this.#header);
        this.#pduFill = HEADER;
        this.#headerFill = 0;
      }
      const n = Math.min(this.#pdu.length - this.#pduFill, chunk.length - at);
      this.#pdu.set(chunk.subarray(at, at + n), this.#pduFill);
      this.#pduFill += n;
      at += n;
      if (this.#pduFill === this.#pdu.length) {
        out.push(this.#pdu);
        this.#pdu = null;
      }
    }
    return out;
  }

  // The PDUs before the fault are the peer's too: returned, the fault kept for the caller.
  #fail(framed: Uint8Array[]): Uint8Array[] {
    if (framed.length === 0) throw this.#failed;
    return framed;
  }
}

function unrecognized(type: number): PduError {
  const hex = type.toString(16).padStart(2, "0");
  return new PduError({
    reason: "unrecognized-pdu",
    offset: 0,
    message: `Cannot decode PDU: type 0x${hex} is not a PS3.8 PDU type`,
  });
}
