import { _toHex } from "./_reader.ts";
import { FIRST_BYTES_HEX } from "./first_bytes.ts";
import { type HandshakeMessage, HandshakeReassembler } from "./handshake.ts";
import type { WireDirection } from "./observation.ts";
import { type TlsRecord, TlsRecordReader } from "./record.ts";

/** How many first bytes are kept to classify them (an A-ASSOCIATE-RQ's AE titles fit well within). */
export const _PREFIX_BYTES = 1024;

/** One record with what it carried, as the direction parsed it. */
export interface _ParsedRecord {
  record: TlsRecord;
  encrypted: boolean;
  messages: HandshakeMessage[];
}

const NO_PREFIX = new Uint8Array(0);

/**
 * The parsing state of one direction: records, plaintext handshake
 * reassembly until encryption starts, the first bytes, and counts.
 */
export class _Direction {
  readonly stats: WireDirection = {
    bytes: 0,
    firstBytes: "",
    records: 0,
    changeCipherSpec: false,
    encryptedRecords: 0,
    encryptedAlerts: 0,
  };
  // The first bytes, kept to classify them: one buffer, made when the first
  // bytes come (an ArrayBuffer per conversation is not free) and filled as chunks come.
  #prefix = NO_PREFIX;
  #keepPrefix: boolean;
  #prefixLength = 0;
  #reader: TlsRecordReader;
  #reassembler = new HandshakeReassembler();
  /** After ChangeCipherSpec in TLS 1.2 and below: handshake and alert records are encrypted. */
  #encrypting = false;

  /** `keepPrefix`: keep the first KiB to classify (the peer's direction only). */
  constructor(readonly tls13: () => boolean, keepPrefix: boolean) {
    this.#keepPrefix = keepPrefix;
    // Bodies are only copied for records we decode: never for encrypted ones.
    this.#reader = new TlsRecordReader({
      wantBody: (h) => !this.#encrypting && (h.contentType === 21 || h.contentType === 22),
    });
  }

  /** The first bytes (at most 1 KiB), a view valid until the next push. */
  get prefix(): Uint8Array {
    return this.#prefix.subarray(0, this.#prefixLength);
  }

  get prefixLength(): number {
    return this.#prefixLength;
  }

  /** Error of the handshake reassembly, once it stopped. */
  get reassemblyError(): string | undefined {
    return this.#reassembler.error;
  }

  get midRecord(): boolean {
    return this.#reader.midRecord;
  }

  /**
   * Counts the chunk and hands each record it completed, with its handshake
   * messages, to `onRecord`, one at a time: a ServerHello is decoded before
   * the next record (its ChangeCipherSpec) is judged.
   */
  push(chunk: Uint8Array, atMs: number, onRecord: (parsed: _ParsedRecord) => void): void {
    const s = this.stats;
    if (s.bytes === 0 && chunk.length > 0) {
      s.firstAtMs = atMs;
      s.firstBytes = _toHex(chunk.subarray(0, FIRST_BYTES_HEX));
    } else if (s.bytes < FIRST_BYTES_HEX) {
      s.firstBytes += _toHex(chunk.subarray(0, FIRST_BYTES_HEX - s.bytes));
    }
    if (this.#keepPrefix && s.bytes === 0) this.#prefix = new Uint8Array(_PREFIX_BYTES);
    if (this.#prefixLength < this.#prefix.length) {
      const add = chunk.subarray(0, this.#prefix.length - this.#prefixLength);
      this.#prefix.set(add, this.#prefixLength);
      this.#prefixLength += add.length;
    }
    s.bytes += chunk.length;
    if (s.notTls) return;
    for (const record of this.#reader.push(chunk)) onRecord(this.#parse(record));
    if (this.#reader.error) s.notTls = this.#reader.error;
  }

  #parse(record: TlsRecord): _ParsedRecord {
    const { contentType } = record.header;
    this.stats.records++;
    const encrypted = contentType === 23 || (this.#encrypting && contentType !== 20);
    if (encrypted) {
      this.stats.encryptedRecords++;
      if (contentType === 21) this.stats.encryptedAlerts++;
    }
    if (contentType === 20) {
      this.stats.changeCipherSpec = true;
      // TLS 1.3's ChangeCipherSpec is a compatibility dummy (RFC 8446 D.4): a
      // second ClientHello may follow it in plaintext.
      if (!this.tls13()) this.#encrypting = true;
    }
    const messages = !encrypted && contentType === 22 && record.body
      ? this.#reassembler.push(record.body)
      : [];
    return { record, encrypted, messages };
  }
}
