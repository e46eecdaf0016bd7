import { CONTENT_TYPES, typeName, versionRef } from "./names.ts";
import type { CodeName } from "./_table.ts";

/**
 * The largest record body TLS allows: 2^14 plus 2048 of expansion (RFC 5246 6.2.3).
 *
 * @example
 * ```ts
 * MAX_RECORD_LENGTH; // 18432
 * ```
 */
export const MAX_RECORD_LENGTH: number = 16384 + 2048;

/** A TLS record header (RFC 8446 5.1): content type, legacy record version, body length. */
export interface RecordHeader {
  /** 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data, 24 heartbeat. */
  contentType: number;
  /** "handshake", "alert", ... */
  contentTypeName: string;
  /** Record-layer version, e.g. 0x0301 in most ClientHellos, 0x0303 after. */
  version: CodeName;
  /** Body length, at most {@linkcode MAX_RECORD_LENGTH}. */
  length: number;
}

/**
 * Reads the 5-byte record header at `offset`: the header, `undefined` when
 * fewer than 5 bytes are there, or `{ error }` when the bytes cannot be a TLS
 * record (content type outside 20-24, version outside SSLv3..TLS 1.3, or a
 * length over 2^14+2048).
 *
 * @example
 * ```ts
 * parseRecordHeader(new Uint8Array([0x16, 3, 1, 0, 0xf1]));
 * // { contentType: 22, contentTypeName: "handshake", version: { code: 769, name: "TLSv1" }, length: 241 }
 * parseRecordHeader(new Uint8Array([0x47, 0x45, 0x54, 0x20, 0x2f])); // { error: "not a TLS record: content type 71" }
 * ```
 */
export function parseRecordHeader(
  bytes: Uint8Array,
  offset = 0,
): RecordHeader | { error: string } | undefined {
  const available = bytes.length - offset;
  if (available < 1) return undefined;
  const contentType = bytes[offset];
  if (contentType < 20 || contentType > 24) {
    return { error: `not a TLS record: content type ${contentType}` };
  }
  if (available < 3) return undefined;
  const version = (bytes[offset + 1] << 8) | bytes[offset + 2];
  if (version < 0x0300 || version > 0x0304) {
    return { error: `not a TLS record: version 0x${version.toString(16).padStart(4, "0")}` };
  }
  if (available < 5) return undefined;
  const length = (bytes[offset + 3] << 8) | bytes[offset + 4];
  if (length > MAX_RECORD_LENGTH) {
    return { error: `not a TLS record: length ${length} over ${MAX_RECORD_LENGTH}` };
  }
  return {
    contentType,
    contentTypeName: typeName(CONTENT_TYPES, contentType),
    version: versionRef(version),
    length,
  };
}

/** One whole record from {@linkcode TlsRecordReader}: its header and, when asked for, its body. */
export interface TlsRecord {
  /** The record header. */
  header: RecordHeader;
  /** The body, when `wantBody` said yes (a copy the caller may keep). */
  body?: Uint8Array;
}

/** Options of {@linkcode TlsRecordReader}. */
export interface TlsRecordReaderOptions {
  /**
   * Whether to keep the body of a record (handshake and alert records are
   * worth decoding; encrypted application data is not, and is skipped
   * without copying). Default: every body.
   */
  wantBody?: (header: RecordHeader) => boolean;
}

/**
 * Splits a byte stream (as it arrives, in chunks of any size) into TLS
 * records. Holds at most one record (2^14+2048 bytes) at a time; bodies not
 * wanted are skipped without copying. Once the stream is not TLS it stops:
 * `error` says why, and later chunks are ignored.
 *
 * @example
 * ```ts
 * declare const chunk: Uint8Array;
 * const reader = new TlsRecordReader({ wantBody: (h) => h.contentType !== 23 });
 * for (const record of reader.push(chunk)) console.log(record.header.contentTypeName, record.header.length);
 * if (reader.error) console.log("not TLS:", reader.error);
 * ```
 */
export class TlsRecordReader {
  #wantBody: (header: RecordHeader) => boolean;
  // A header split across chunks (rare); a plain array, not an ArrayBuffer per reader.
  #header: number[] = [];
  #headerLength = 0;
  #current?: RecordHeader;
  #body?: Uint8Array;
  #bodyLength = 0;
  #error?: string;

  /** A reader; `wantBody` says which records keep their body. */
  constructor(options: TlsRecordReaderOptions = {}) {
    this.#wantBody = options.wantBody ?? (() => true);
  }

  /** Why the stream stopped being TLS, once it did. */
  get error(): string | undefined {
    return this.#error;
  }

  /** Whether a record is partly read (a stream that ends now ended mid-record). */
  get midRecord(): boolean {
    return this.#headerLength > 0 || this.#current !== undefined;
  }

  /** Feeds the next chunk; returns the records it completed. */
  push(chunk: Uint8Array): TlsRecord[] {
    const records: TlsRecord[] = [];
    let at = 0;
    while (at < chunk.length && !this.#error) {
      if (!this.#current) {
        at = this.#readHeader(chunk, at);
        continue;
      }
      const take = Math.min(this.#current.length - this.#bodyLength, chunk.length - at);
      this.#body?.set(chunk.subarray(at, at + take), this.#bodyLength);
      this.#bodyLength += take;
      at += take;
      if (this.#bodyLength === this.#current.length) records.push(this.#finish());
    }
    // A zero-length record completes as soon as its header does.
    if (this.#current && this.#current.length === 0) records.push(this.#finish());
    return records;
  }

  #readHeader(chunk: Uint8Array, at: number): number {
    let parsed: ReturnType<typeof parseRecordHeader>;
    let next = at;
    if (this.#headerLength === 0 && chunk.length - at >= 5) {
      parsed = parseRecordHeader(chunk, at);
      next = at + 5;
    } else {
      const take = Math.min(5 - this.#headerLength, chunk.length - at);
      for (let i = 0; i < take; i++) this.#header[this.#headerLength++] = chunk[at + i];
      parsed = parseRecordHeader(Uint8Array.from(this.#header.slice(0, this.#headerLength)));
      next = at + take;
    }
    if (parsed && "error" in parsed) {
      this.#error = parsed.error;
    } else if (parsed) {
      this.#current = parsed;
      this.#headerLength = 0;
      this.#bodyLength = 0;
      this.#body = this.#wantBody(parsed) ? new Uint8Array(parsed.length) : undefined;
    }
    return next;
  }

  #finish(): TlsRecord {
    const record: TlsRecord = { header: this.#current! };
    if (this.#body) record.body = this.#body;
    this.#current = undefined;
    this.#body = undefined;
    return record;
  }
}
