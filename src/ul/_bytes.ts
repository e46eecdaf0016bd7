import { PduError } from "./pdu_error.ts";

/** Bounds-checked big-endian reader: every overrun is a PduError at its offset. */
export class Reader {
  #view: DataView;
  constructor(readonly bytes: Uint8Array, public offset = 0, readonly base = 0) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get remaining(): number {
    return this.bytes.length - this.offset;
  }
  /** Absolute offset in the PDU, for error messages. */
  get at(): number {
    return this.base + this.offset;
  }
  #need(n: number, what: string): void {
    if (this.remaining < n) {
      throw new PduError({
        reason: "invalid-pdu-parameter-value",
        offset: this.at,
        message:
          `Cannot decode ${what} at offset ${this.at}: needs ${n} bytes, ${this.remaining} left`,
      });
    }
  }
  u8(what: string): number {
    this.#need(1, what);
    return this.#view.getUint8(this.offset++);
  }
  u16(what: string): number {
    this.#need(2, what);
    const v = this.#view.getUint16(this.offset);
    this.offset += 2;
    return v;
  }
  u32(what: string): number {
    this.#need(4, what);
    const v = this.#view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }
  take(n: number, what: string): Uint8Array {
    this.#need(n, what);
    const v = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  /** A sub-reader over the next n bytes, keeping absolute offsets. */
  sub(n: number, what: string): Reader {
    const at = this.at;
    return new Reader(this.take(n, what), 0, at);
  }
}

/** Growable big-endian writer: small fields in an array, big values as whole chunks. */
export class Writer {
  #parts: Uint8Array[] = [];
  #small: number[] = [];
  #length = 0;
  u8(v: number): this {
    this.#small.push(v & 0xff);
    this.#length++;
    return this;
  }
  u16(v: number): this {
    return this.u8(v >> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  bytes(b: Uint8Array): this {
    this.#flush();
    this.#parts.push(b);
    this.#length += b.length;
    return this;
  }
  get length(): number {
    return this.#length;
  }
  #flush(): void {
    if (this.#small.length) this.#parts.push(Uint8Array.from(this.#small));
    this.#small = [];
  }
  finish(): Uint8Array {
    this.#flush();
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Latin-1 (byte per char) so that any bytes round-trip. */
export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** A UID from an item: some peers pad with a trailing NUL. */
export function uid(bytes: Uint8Array): string {
  return latin1(bytes).replace(/\0+$/, "");
}
