/** Thrown inside decoders only; public decoders turn it into `{ error }`. */
export class _DecodeError extends Error {
  override name = "DecodeError";
}

/** Bounds-checked big-endian reader over one message; every overrun is a _DecodeError. */
export class _Reader {
  #offset = 0;
  constructor(readonly bytes: Uint8Array, readonly what = "message") {}
  get remaining(): number {
    return this.bytes.length - this.#offset;
  }
  get offset(): number {
    return this.#offset;
  }
  #need(n: number, field: string): void {
    if (this.remaining < n) {
      throw new _DecodeError(
        `${this.what}: ${field} needs ${n} bytes at offset ${this.#offset}, ${this.remaining} left`,
      );
    }
  }
  u8(field: string): number {
    this.#need(1, field);
    return this.bytes[this.#offset++];
  }
  u16(field: string): number {
    this.#need(2, field);
    const v = (this.bytes[this.#offset] << 8) | this.bytes[this.#offset + 1];
    this.#offset += 2;
    return v;
  }
  u24(field: string): number {
    this.#need(3, field);
    const b = this.bytes;
    const v = (b[this.#offset] << 16) | (b[this.#offset + 1] << 8) | b[this.#offset + 2];
    this.#offset += 3;
    return v;
  }
  take(n: number, field: string): Uint8Array {
    this.#need(n, field);
    const v = this.bytes.subarray(this.#offset, this.#offset + n);
    this.#offset += n;
    return v;
  }
  /** A vector with a 1-, 2- or 3-byte length prefix (RFC 8446 3.4). */
  vector(lengthBytes: 1 | 2 | 3, field: string): Uint8Array {
    const n = lengthBytes === 1
      ? this.u8(`${field} length`)
      : lengthBytes === 2
      ? this.u16(`${field} length`)
      : this.u24(`${field} length`);
    return this.take(n, field);
  }
  /** A reader over a length-prefixed vector. */
  sub(lengthBytes: 1 | 2 | 3, field: string): _Reader {
    return new _Reader(this.vector(lengthBytes, field), `${this.what} ${field}`);
  }
  /** The 16-bit values of a length-prefixed vector (suites, groups, schemes). */
  u16List(lengthBytes: 1 | 2, field: string): number[] {
    const r = this.sub(lengthBytes, field);
    if (r.remaining % 2 !== 0) throw new _DecodeError(`${this.what}: ${field} has an odd length`);
    const out: number[] = [];
    while (r.remaining > 0) out.push(r.u16(field));
    return out;
  }
}

/** Runs a decoder: its value, or `{ error }` for bad bytes. Other errors are our bugs and propagate. */
export function _decode<T>(decoder: () => T): T | { error: string } {
  try {
    return decoder();
  } catch (e) {
    if (e instanceof _DecodeError) return { error: e.message };
    throw e;
  }
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** Bytes as lowercase hex. */
export function _toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

/**
 * Peer-supplied text made safe to print: printable ASCII kept, anything else
 * as `\xNN`, at most `max` characters (then "...").
 */
export function _printable(bytes: Uint8Array, max = 255): string {
  let s = "";
  for (const b of bytes.subarray(0, max)) {
    s += b >= 0x20 && b < 0x7f && b !== 0x5c
      ? String.fromCharCode(b)
      : `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return bytes.length > max ? `${s}...` : s;
}
