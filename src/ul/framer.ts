import { PduLengthExceeded } from "./pdu_error.ts";

const HEADER = 6;

/**
 * Assembles whole PDUs from a byte stream (PS3.8 9.3.1: a 6-byte header with
 * a 4-byte length). It checks the declared length against `maxLength` as soon
 * as the header is complete, before buffering any of the body, and allocates
 * exactly the declared length: never more than `maxLength + 6` bytes.
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
  #failed: PduLengthExceeded | null = null;

  /** `maxLength`: the largest PDU length field (bytes after the header) we accept. */
  constructor(options: { maxLength: number }) {
    this.maxLength = options.maxLength;
  }

  /** Bytes held for the PDU being assembled (header included). */
  get bufferedBytes(): number {
    return this.#pdu ? this.#pdu.length : this.#headerFill;
  }

  /**
   * Adds bytes; returns the PDUs they complete, header included. Throws
   * {@linkcode PduLengthExceeded} for a header above the maximum (and again on
   * every later push: the stream cannot be resynchronised).
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failed) throw this.#failed;
    const out: Uint8Array[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (!this.#pdu) {
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
          throw this.#failed;
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
}
