import { CIPHER_SUITE_ROWS } from "./data/cipher_suites.ts";
import { _hex16, _isGreaseCode, _nameKey, type CodeName } from "./_table.ts";
import type { ProtocolVersionName } from "../../outcome/wire.ts";
export type { ProtocolVersionName };

/** One cipher suite: its IANA code, both names, its algorithms and where it is valid. */
export interface CipherSuite {
  /** IANA code, e.g. 0xC02F. */
  code: number;
  /** IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"; absent for the few vendor (GOST) suites IANA does not list. */
  iana?: string;
  /** OpenSSL name, e.g. "ECDHE-RSA-AES128-GCM-SHA256"; absent when OpenSSL has none. */
  openssl?: string;
  /** Key exchange in OpenSSL's words: "ECDH" (ephemeral ECDHE), "DH" (DHE), "RSA", "DH/RSA" (static), "PSK", "any" (TLS 1.3), ... */
  kx: string;
  /** Authentication: "RSA", "ECDSA", "DSS", "None" (anonymous), "PSK", "any" (TLS 1.3), ... */
  au: string;
  /** Bulk cipher: "AESGCM", "AES", "ChaCha20", "3DES", "RC4", "CAMELLIA", "ARIAGCM", "AESCCM", "None", ... */
  enc: string;
  /** Key bits of the bulk cipher (0 for NULL). */
  bits: number;
  /** "AEAD", "SHA1", "SHA256", "SHA384", "MD5", ... */
  mac: string;
  /** An export-grade suite (40/56-bit): valid in SSLv3 and TLS 1.0 only (RFC 4346 A.5). */
  export: boolean;
  /** The protocol versions the suite may be negotiated in. */
  versions: ProtocolVersionName[];
  /** A TLS 1.3 suite (only valid in TLS 1.3, and TLS 1.3 only takes these). */
  tls13: boolean;
  /** A signalling value, not a real suite (TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV). */
  signaling: boolean;
}

const ORDER: ProtocolVersionName[] = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

function _versions(lowest: ProtocolVersionName, exportGrade: boolean): ProtocolVersionName[] {
  if (lowest === "TLSv1.3") return ["TLSv1.3"];
  const from = ORDER.indexOf(lowest);
  const upTo = exportGrade ? ORDER.indexOf("TLSv1") : ORDER.indexOf("TLSv1.2");
  return ORDER.slice(from, upTo + 1);
}

/**
 * Every cipher suite we can name: SSLv3 to TLS 1.3, RSA, DHE, ECDHE, PSK,
 * SRP, 3DES, RC4, NULL, CAMELLIA, ARIA, CHACHA20, CCM, GOST and export
 * suites (every suite OpenSSL 3.0 knows among them), sorted by code. See
 * data/ORIGIN.md for where they come from.
 *
 * @example
 * ```ts
 * CIPHER_SUITES.filter((s) => s.tls13).map((s) => s.iana); // ["TLS_AES_128_GCM_SHA256", ...]
 * ```
 */
export const CIPHER_SUITES: readonly CipherSuite[] = CIPHER_SUITE_ROWS.map(
  ([code, iana, openssl, lowest, kx, au, enc, bits, mac, exp]) => ({
    code,
    ...(iana ? { iana } : {}),
    ...(openssl ? { openssl } : {}),
    kx,
    au,
    enc,
    bits,
    mac,
    export: exp === 1,
    versions: _versions(lowest as ProtocolVersionName, exp === 1),
    tls13: lowest === "TLSv1.3",
    signaling: kx === "SCSV",
  }),
);

const byCode = new Map(CIPHER_SUITES.map((s) => [s.code, s]));
const byName = new Map<string, CipherSuite>();
for (const s of CIPHER_SUITES) {
  for (const name of [s.iana, s.openssl]) {
    // A few OpenSSL names are shared by a TLS suite and a legacy SSL_FIPS one: the first wins.
    if (name && !byName.has(_nameKey(name))) byName.set(_nameKey(name), s);
  }
}

/**
 * Looks a cipher suite up by IANA code, IANA name or OpenSSL name (names
 * case-insensitive). Unknown gives undefined.
 *
 * @example
 * ```ts
 * cipherSuite(0xc02f)?.openssl; // "ECDHE-RSA-AES128-GCM-SHA256"
 * cipherSuite("ecdhe-rsa-aes128-gcm-sha256")?.iana; // "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
 * cipherSuite("AES128-SHA")?.versions; // ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"]
 * ```
 */
export function cipherSuite(codeOrName: number | string): CipherSuite | undefined {
  return typeof codeOrName === "number" ? byCode.get(codeOrName) : byName.get(_nameKey(codeOrName));
}

/**
 * A suite code as `{ code, name }` for reports: the IANA name, else the
 * OpenSSL name, else `GREASE` (RFC 8701) or `unknown_0xNNNN`.
 *
 * @example
 * ```ts
 * cipherSuiteRef(0x1301); // { code: 4865, name: "TLS_AES_128_GCM_SHA256" }
 * cipherSuiteRef(0x2a2a); // { code: 10794, name: "GREASE", grease: true }
 * ```
 */
export function cipherSuiteRef(code: number): CodeName {
  if (_isGreaseCode(code)) return { code, name: "GREASE", grease: true };
  const s = byCode.get(code);
  return { code, name: s?.iana ?? s?.openssl ?? `unknown_${_hex16(code)}` };
}
