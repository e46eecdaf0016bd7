import crypto from "node:crypto";
import { _keyShare } from "./_key_shares.ts";
import { cipherSuite } from "./cipher_suites.ts";
import { namedGroup, protocolVersion, signatureScheme } from "./names.ts";

/** Options of {@linkcode buildClientHello}: codes or names everywhere. */
export interface ClientHelloOptions {
  /** legacy_version, and the record version unless `recordVersion` is given; default TLSv1.2. */
  version?: number | string;
  /** Record-layer version when it should differ from `version` (many clients send TLSv1). */
  recordVersion?: number | string;
  /** supported_versions in preference order (needed for TLS 1.3); omitted: no extension. */
  versions?: (number | string)[];
  /** Suites by code, IANA or OpenSSL name, in preference order. */
  cipherSuites: (number | string)[];
  /** supported_groups; default x25519, secp256r1, secp384r1, secp521r1, ffdhe2048-8192. `[]` omits it. */
  groups?: (number | string)[];
  /** signature_algorithms; default a broad list (TLS 1.3 schemes and TLS 1.2 pairs). `[]` omits it. */
  signatureAlgorithms?: (number | string)[];
  /** server_name (SNI). */
  sni?: string;
  /** ALPN protocol names. */
  alpn?: string[];
  /**
   * Groups to send real public keys for (key_share); default the first group
   * when TLS 1.3 is offered. `[]` with TLS 1.3 sends an empty key_share (the
   * server must ask for a group in a HelloRetryRequest).
   */
  keyShares?: (number | string)[];
  /** An empty session_ticket extension. */
  sessionTicket?: boolean;
  /** Send the extended_master_secret extension (RFC 7627). */
  extendedMasterSecret?: boolean;
  /** An empty renegotiation_info extension (RFC 5746). */
  renegotiationInfo?: boolean;
  /** legacy_session_id; default 32 random bytes when TLS 1.3 is offered (middlebox compatibility), else empty. */
  sessionId?: Uint8Array;
  /** Extra extensions, raw, appended in order. */
  extensions?: { type: number; data: Uint8Array }[];
}

/**
 * Signature schemes offered by default: what OpenSSL 3 offers, plus the TLS 1.2 SHA-1 pairs.
 *
 * @example
 * ```ts
 * buildClientHello({ cipherSuites: ["AES128-SHA"], signatureAlgorithms: [...DEFAULT_SIGNATURE_ALGORITHMS, 0x0101] });
 * ```
 */
export const DEFAULT_SIGNATURE_ALGORITHMS: readonly number[] = [
  0x0403,
  0x0503,
  0x0603,
  0x0807,
  0x0808,
  0x0804,
  0x0805,
  0x0806,
  0x0809,
  0x080a,
  0x080b,
  0x0401,
  0x0501,
  0x0601,
  0x0303,
  0x0301,
  0x0302,
  0x0402,
  0x0502,
  0x0602,
  0x0203,
  0x0201,
  0x0202,
];
/**
 * Groups offered by default: X25519, the NIST curves, X448 and the RFC 7919 FFDHE groups.
 *
 * @example
 * ```ts
 * DEFAULT_GROUPS.includes(0x0017); // true (secp256r1)
 * ```
 */
export const DEFAULT_GROUPS: readonly number[] = [
  0x001d,
  0x0017,
  0x0018,
  0x0019,
  0x001e,
  0x0100,
  0x0101,
  0x0102,
  0x0103,
  0x0104,
];

function _code(kind: string, value: number | string, lookup: (v: string) => number | undefined) {
  if (typeof value === "number") return value;
  const code = lookup(value);
  if (code === undefined) throw new Error(`Cannot build ClientHello: unknown ${kind} '${value}'`);
  return code;
}
const _version = (v: number | string) => _code("version", v, (n) => protocolVersion(n)?.code);
const _suite = (v: number | string) => _code("cipher suite", v, (n) => cipherSuite(n)?.code);
const _group = (v: number | string) => _code("group", v, (n) => namedGroup(n)?.code);
const _scheme = (v: number | string) =>
  _code("signature scheme", v, (n) => signatureScheme(n)?.code);

/**
 * Builds a ClientHello as TLS records, ready to send: one suite, one
 * version, one group at a time if you like (the way sslyze and testssl.sh
 * probe). TLS 1.3 key shares are real public keys from `node:crypto`, so a
 * server answers with a ServerHello, not an alert. Throws on an unknown name
 * (our input, not the peer's).
 *
 * @example
 * ```ts
 * const hello = buildClientHello({
 *   version: "TLSv1.2", versions: ["TLSv1.3"], cipherSuites: ["TLS_AES_128_GCM_SHA256"],
 *   groups: ["x25519"], keyShares: ["x25519"], sni: "pacs.example",
 * });
 * hello[0]; // 22 (handshake record)
 * ```
 */
export function buildClientHello(options: ClientHelloOptions): Uint8Array {
  const version = _version(options.version ?? 0x0303);
  const versions = options.versions?.map(_version);
  const tls13 = versions?.includes(0x0304) ?? false;
  const groups = (options.groups ?? DEFAULT_GROUPS).map(_group);
  const sessionId = options.sessionId ?? (tls13 ? _random(32) : new Uint8Array(0));
  const body = _concat([
    _u16(version),
    _random(32),
    _vector(1, sessionId),
    _vector(2, _concat(options.cipherSuites.map(_suite).map(_u16))),
    _vector(1, new Uint8Array([0])),
    _vector(2, _concat(_extensions(options, versions, groups, tls13))),
  ]);
  const handshake = _concat([new Uint8Array([1]), _u24(body.length), body]);
  const recordVersion = _version(options.recordVersion ?? version);
  const records: Uint8Array[] = [];
  for (let at = 0; at < handshake.length; at += 16384) {
    const fragment = handshake.subarray(at, at + 16384);
    records.push(new Uint8Array([22]), _u16(recordVersion), _u16(fragment.length), fragment);
  }
  return _concat(records);
}

function _extensions(
  options: ClientHelloOptions,
  versions: number[] | undefined,
  groups: number[],
  tls13: boolean,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  const add = (type: number, data: Uint8Array) => out.push(_u16(type), _vector(2, data));
  const enc = new TextEncoder();
  if (options.sni) {
    add(0, _vector(2, _concat([new Uint8Array([0]), _vector(2, enc.encode(options.sni))])));
  }
  if (groups.length > 0) {
    add(10, _vector(2, _concat(groups.map(_u16))));
    add(11, _vector(1, new Uint8Array([0]))); // ec_point_formats: uncompressed
  }
  const schemes = (options.signatureAlgorithms ?? DEFAULT_SIGNATURE_ALGORITHMS).map(_scheme);
  if (schemes.length > 0) add(13, _vector(2, _concat(schemes.map(_u16))));
  if (options.alpn?.length) {
    add(16, _vector(2, _concat(options.alpn.map((p) => _vector(1, enc.encode(p))))));
  }
  if (options.extendedMasterSecret) add(23, new Uint8Array(0));
  if (options.sessionTicket) add(35, new Uint8Array(0));
  if (versions) add(43, _vector(1, _concat(versions.map(_u16))));
  if (tls13) add(45, _vector(1, new Uint8Array([1]))); // psk_key_exchange_modes: psk_dhe_ke
  const shareGroups = (options.keyShares ?? groups.slice(0, tls13 ? 1 : 0)).map(_group);
  // An explicit empty list still sends key_share (empty): a TLS 1.3 server answers HelloRetryRequest.
  if (shareGroups.length > 0 || (tls13 && options.keyShares)) {
    add(51, _vector(2, _concat(shareGroups.map((g) => _concat([_u16(g), _vector(2, _share(g))])))));
  }
  if (options.renegotiationInfo) add(0xff01, _vector(1, new Uint8Array(0)));
  for (const e of options.extensions ?? []) add(e.type, e.data);
  return out;
}

function _share(group: number): Uint8Array {
  const key = _keyShare(group);
  if (!key) {
    throw new Error(
      `Cannot build ClientHello: no key share can be made for group 0x${group.toString(16)}`,
    );
  }
  return key;
}

function _random(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
function _u16(v: number): Uint8Array {
  return new Uint8Array([v >> 8, v & 0xff]);
}
function _u24(v: number): Uint8Array {
  return new Uint8Array([v >> 16, (v >> 8) & 0xff, v & 0xff]);
}
function _vector(lengthBytes: 1 | 2, data: Uint8Array): Uint8Array {
  return _concat([lengthBytes === 1 ? new Uint8Array([data.length]) : _u16(data.length), data]);
}
// A hello is a few kilobytes at most: simple beats fast here.
function _concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(parts.flatMap((p) => [...p]));
}
