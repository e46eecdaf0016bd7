/**
 * TLS records as a hostile (or merely odd) server writes them, byte by
 * byte: ServerHello and HelloRetryRequest with any version, suite, group
 * or compression, Certificate, ServerHelloDone, alerts. For tests that our
 * prober takes no answer on trust.
 *
 * @module
 */

/** What {@linkcode serverHelloRecord} puts in its ServerHello. */
export interface ServerHelloRecordOptions {
  /** The suite chosen (a code). */
  suite: number;
  /** legacy_version; default 0x0303. */
  version?: number;
  /** A supported_versions extension selecting this version; omitted: no extension. */
  supportedVersion?: number;
  /** The compression method; default 0 (null). */
  compression?: number;
  /** A key_share for this group (a 32-byte share; in a HelloRetryRequest the group alone). */
  keyShare?: number;
  /** A HelloRetryRequest: the RFC 8446 4.1.3 random. */
  helloRetryRequest?: boolean;
  /** legacy_session_id_echo; default empty. */
  sessionId?: Uint8Array;
  /** The record's version; default 0x0303. */
  recordVersion?: number;
  /** More extensions, raw, after the others. */
  extensions?: { type: number; data: Uint8Array }[];
}

// SHA-256("HelloRetryRequest"), RFC 8446 4.1.3.
const HRR_RANDOM = Uint8Array.from(
  "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c".match(/../g)!,
  (h) => parseInt(h, 16),
);

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u24 = (n: number) => [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

/**
 * A record of `contentType` holding `body` (no length check: a hostile
 * server may send any).
 *
 * @example
 * ```ts
 * import { record } from "./tls_records.ts";
 * record(21, new Uint8Array([2, 40])); // a fatal handshake_failure alert
 * ```
 */
export function record(contentType: number, body: Uint8Array, version = 0x0303): Uint8Array {
  return new Uint8Array([contentType, ...u16(version), ...u16(body.length), ...body]);
}

/**
 * A handshake message (type, 24-bit length, body) in records of at most
 * 16 KiB, as a TLS stack fragments it.
 *
 * @example
 * ```ts
 * import { handshakeRecord } from "./tls_records.ts";
 * handshakeRecord(14, new Uint8Array(0)); // ServerHelloDone
 * ```
 */
export function handshakeRecord(type: number, body: Uint8Array, version = 0x0303): Uint8Array {
  const message = new Uint8Array([type, ...u24(body.length), ...body]);
  const records: number[] = [];
  for (let at = 0; at < message.length; at += 16_384) {
    records.push(...record(22, message.subarray(at, at + 16_384), version));
  }
  return new Uint8Array(records);
}

/**
 * A ServerHello (or HelloRetryRequest) record as `o` says.
 *
 * @example
 * ```ts
 * import { serverHelloRecord } from "./tls_records.ts";
 * serverHelloRecord({ suite: 0x1301, supportedVersion: 0x0304, keyShare: 0x001d });
 * ```
 */
export function serverHelloRecord(o: ServerHelloRecordOptions): Uint8Array {
  const extensions: number[] = [];
  if (o.supportedVersion !== undefined) {
    extensions.push(...u16(43), 0, 2, ...u16(o.supportedVersion));
  }
  if (o.keyShare !== undefined) {
    const share = o.helloRetryRequest ? [] : [...u16(32), ...new Uint8Array(32).fill(9)];
    extensions.push(...u16(51), ...u16(2 + share.length), ...u16(o.keyShare), ...share);
  }
  for (const e of o.extensions ?? []) {
    extensions.push(...u16(e.type), ...u16(e.data.length), ...e.data);
  }
  const sessionId = o.sessionId ?? new Uint8Array(0);
  const random = o.helloRetryRequest ? HRR_RANDOM : crypto.getRandomValues(new Uint8Array(32));
  const body = new Uint8Array([
    ...u16(o.version ?? 0x0303),
    ...random,
    sessionId.length,
    ...sessionId,
    ...u16(o.suite),
    o.compression ?? 0,
    ...u16(extensions.length),
    ...extensions,
  ]);
  return handshakeRecord(2, body, o.recordVersion);
}

/**
 * A TLS 1.2 Certificate message record carrying `certificates` (DER), leaf first.
 *
 * @example
 * ```ts
 * import { certificateRecord } from "./tls_records.ts";
 * declare const der: Uint8Array;
 * certificateRecord([der]);
 * ```
 */
export function certificateRecord(certificates: Uint8Array[]): Uint8Array {
  const list = certificates.flatMap((c) => [...u24(c.length), ...c]);
  return handshakeRecord(11, new Uint8Array([...u24(list.length), ...list]));
}

/**
 * A ServerHelloDone record.
 *
 * @example
 * ```ts
 * import { SERVER_HELLO_DONE } from "./tls_records.ts";
 * SERVER_HELLO_DONE.length; // 9
 * ```
 */
export const SERVER_HELLO_DONE: Uint8Array = handshakeRecord(14, new Uint8Array(0));

/**
 * An alert record: `level` 1 warning, 2 fatal (any byte goes), `description` any code.
 *
 * @example
 * ```ts
 * import { alertRecord } from "./tls_records.ts";
 * alertRecord(2, 70); // fatal protocol_version
 * ```
 */
export function alertRecord(level: number, description: number): Uint8Array {
  return record(21, new Uint8Array([level, description]));
}
