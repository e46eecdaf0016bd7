import { EXTENSION_TYPE_ROWS } from "./data/extension_types.ts";
import { NAMED_GROUP_ROWS } from "./data/named_groups.ts";
import { SIGNATURE_SCHEME_ROWS } from "./data/signature_schemes.ts";
import { _codeNameTable, _isGreaseCode, _ref, type CodeName } from "./_table.ts";
import type { ProtocolVersionName } from "./cipher_suites.ts";

export type { CodeName };

/**
 * Whether a 16-bit code is an RFC 8701 GREASE value (0x0A0A, 0x1A1A, ...
 * 0xFAFA), which clients put among suites, groups, versions and extensions
 * to keep servers tolerant.
 *
 * @example
 * ```ts
 * isGrease(0x3a3a); // true
 * isGrease(0x1301); // false
 * ```
 */
export function isGrease(code: number): boolean {
  return _isGreaseCode(code);
}

/**
 * The protocol versions by wire code, named as `node:tls` prints them.
 *
 * @example
 * ```ts
 * PROTOCOL_VERSIONS.map((v) => v.name); // ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
 * ```
 */
export const PROTOCOL_VERSIONS: readonly { code: number; name: ProtocolVersionName }[] = [
  { code: 0x0300, name: "SSLv3" },
  { code: 0x0301, name: "TLSv1" },
  { code: 0x0302, name: "TLSv1.1" },
  { code: 0x0303, name: "TLSv1.2" },
  { code: 0x0304, name: "TLSv1.3" },
];

/**
 * Looks a protocol version up by wire code (0x0303) or name: "TLSv1.2",
 * "TLS1.2", "tls1_2", "TLSv1.0" (= "TLSv1"), "SSLv3" (case-insensitive).
 *
 * @example
 * ```ts
 * protocolVersion(0x0304); // { code: 772, name: "TLSv1.3" }
 * protocolVersion("tls1.0"); // { code: 769, name: "TLSv1" }
 * ```
 */
export function protocolVersion(
  codeOrName: number | string,
): { code: number; name: ProtocolVersionName } | undefined {
  if (typeof codeOrName === "number") return PROTOCOL_VERSIONS.find((v) => v.code === codeOrName);
  // "TLSv1.2" -> "tls12", "tls1_0" -> "tls10", "SSLv3" -> "ssl3".
  const key = codeOrName.toLowerCase().replace(/[\s_.v]/g, "");
  const name = VERSION_KEYS[key === "tls10" ? "tls1" : key === "ssl30" ? "ssl3" : key];
  return PROTOCOL_VERSIONS.find((v) => v.name === name);
}

const VERSION_KEYS: Record<string, ProtocolVersionName> = {
  ssl3: "SSLv3",
  tls1: "TLSv1",
  tls11: "TLSv1.1",
  tls12: "TLSv1.2",
  tls13: "TLSv1.3",
};

/**
 * A version code as `{ code, name }` for reports: the `node:tls` name,
 * `TLSv1.3-draft-N` for 0x7F0N drafts, GREASE, or `unknown_0xNNNN`.
 *
 * @example
 * ```ts
 * versionRef(0x0303); // { code: 771, name: "TLSv1.2" }
 * versionRef(0x7f1c); // { code: 32540, name: "TLSv1.3-draft-28" }
 * ```
 */
export function versionRef(code: number): CodeName {
  const known = KNOWN_VERSION_REFS.get(code);
  if (known) return known;
  if ((code >> 8) === 0x7f) return { code, name: `TLSv1.3-draft-${code & 0xff}` };
  return _ref(() => undefined, code);
}

// One frozen object per known version: records ask for one each.
const KNOWN_VERSION_REFS = new Map(
  PROTOCOL_VERSIONS.map((v) => [v.code, Object.freeze({ code: v.code, name: v.name })]),
);

const groupTable = _codeNameTable(NAMED_GROUP_ROWS);

/** Aliases OpenSSL and Node use for groups: P-256, prime256v1, X25519 ... */
const GROUP_ALIASES: Record<string, string> = {
  p192: "secp192r1",
  p224: "secp224r1",
  p256: "secp256r1",
  prime256v1: "secp256r1",
  p384: "secp384r1",
  p521: "secp521r1",
  prime192v1: "secp192r1",
};

/**
 * Looks a named group (supported_groups, key_share) up by code or name:
 * IANA ("secp256r1", "x25519", "ffdhe2048") or OpenSSL/NIST ("P-256",
 * "prime256v1"), case-insensitive.
 *
 * @example
 * ```ts
 * namedGroup(0x001d); // { code: 29, name: "x25519" }
 * namedGroup("P-256"); // { code: 23, name: "secp256r1" }
 * ```
 */
export function namedGroup(codeOrName: number | string): CodeName | undefined {
  if (typeof codeOrName === "string") {
    const alias = GROUP_ALIASES[codeOrName.toLowerCase().replace(/[\s_-]/g, "")];
    return groupTable(alias ?? codeOrName);
  }
  return groupTable(codeOrName);
}

/**
 * {@linkcode namedGroup} as `{ code, name }` for any code (GREASE, unknown).
 *
 * @example
 * ```ts
 * namedGroupRef(0x0100); // { code: 256, name: "ffdhe2048" }
 * namedGroupRef(0x4a4a); // { code: 19018, name: "GREASE", grease: true }
 * ```
 */
export function namedGroupRef(code: number): CodeName {
  return _ref(groupTable, code);
}

const LEGACY_HASHES = ["none", "md5", "sha1", "sha224", "sha256", "sha384", "sha512"];
const LEGACY_SIGNATURES = ["anonymous", "rsa_pkcs1", "dsa", "ecdsa"];
const schemeTable = _codeNameTable([
  ...SIGNATURE_SCHEME_ROWS,
  // TLS 1.2 hash/signature pairs (RFC 5246 7.4.1.4.1) without a TLS 1.3 scheme name.
  ...LEGACY_HASHES.flatMap((hash, h) =>
    LEGACY_SIGNATURES.map((sig, s) => [(h << 8) | s, `${sig}_${hash}`] as const)
  ),
]);

/**
 * Looks a signature scheme (signature_algorithms, CertificateRequest) up by
 * code or name: TLS 1.3 names ("ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256")
 * and TLS 1.2 hash/signature pairs ("rsa_pkcs1_sha1", "dsa_sha256", "ecdsa_sha224").
 *
 * @example
 * ```ts
 * signatureScheme(0x0403); // { code: 1027, name: "ecdsa_secp256r1_sha256" }
 * signatureScheme(0x0402); // { code: 1026, name: "dsa_sha256" }
 * ```
 */
export function signatureScheme(codeOrName: number | string): CodeName | undefined {
  return schemeTable(codeOrName);
}

/**
 * {@linkcode signatureScheme} as `{ code, name }` for any code (GREASE, unknown).
 *
 * @example
 * ```ts
 * signatureSchemeRef(0x0804); // { code: 2052, name: "rsa_pss_rsae_sha256" }
 * signatureSchemeRef(0xfe01); // { code: 65025, name: "unknown_0xfe01" }
 * ```
 */
export function signatureSchemeRef(code: number): CodeName {
  return _ref(schemeTable, code);
}

const extensionTable = _codeNameTable(EXTENSION_TYPE_ROWS);

/**
 * Looks a TLS extension type up by code or IANA name.
 *
 * @example
 * ```ts
 * extensionType(43); // { code: 43, name: "supported_versions" }
 * extensionType("key_share")?.code; // 51
 * ```
 */
export function extensionType(codeOrName: number | string): CodeName | undefined {
  return extensionTable(codeOrName);
}

/**
 * {@linkcode extensionType} as `{ code, name }` for any code (GREASE, unknown).
 *
 * @example
 * ```ts
 * extensionTypeRef(0xff01); // { code: 65281, name: "renegotiation_info" }
 * ```
 */
export function extensionTypeRef(code: number): CodeName {
  return _ref(extensionTable, code);
}

/**
 * Handshake message types (RFC 8446 B.3, RFC 5246 7.4, RFC 6066, RFC 8879).
 *
 * @example
 * ```ts
 * HANDSHAKE_TYPES[11]; // "certificate"
 * ```
 */
export const HANDSHAKE_TYPES: Readonly<Record<number, string>> = {
  0: "hello_request",
  1: "client_hello",
  2: "server_hello",
  3: "hello_verify_request",
  4: "new_session_ticket",
  5: "end_of_early_data",
  8: "encrypted_extensions",
  11: "certificate",
  12: "server_key_exchange",
  13: "certificate_request",
  14: "server_hello_done",
  15: "certificate_verify",
  16: "client_key_exchange",
  20: "finished",
  21: "certificate_url",
  22: "certificate_status",
  23: "supplemental_data",
  24: "key_update",
  25: "compressed_certificate",
  254: "message_hash",
};

/**
 * TLS record content types (RFC 8446 5.1, RFC 6520).
 *
 * @example
 * ```ts
 * CONTENT_TYPES[21]; // "alert"
 * ```
 */
export const CONTENT_TYPES: Readonly<Record<number, string>> = {
  20: "change_cipher_spec",
  21: "alert",
  22: "handshake",
  23: "application_data",
  24: "heartbeat",
};

/**
 * The name of a handshake message type or record content type, `unknown_N` when unassigned.
 *
 * @example
 * ```ts
 * typeName(HANDSHAKE_TYPES, 13); // "certificate_request"
 * typeName(CONTENT_TYPES, 21); // "alert"
 * ```
 */
export function typeName(table: Readonly<Record<number, string>>, code: number): string {
  return table[code] ?? `unknown_${code}`;
}
