import { _alpn, _readExtensions, _u16 } from "./_extensions.ts";
import type { ExtensionRef } from "./_extensions.ts";
import { _decode, _Reader } from "./_reader.ts";
import type { CodeName } from "./_table.ts";
import { cipherSuite, cipherSuiteRef } from "./cipher_suites.ts";
import { namedGroupRef, versionRef } from "./names.ts";

/** A ServerHello or HelloRetryRequest, decoded (RFC 8446 4.1.3, 4.1.4; RFC 5246 7.4.1.3). */
export interface ServerHelloInfo {
  /** A HelloRetryRequest (a ServerHello whose random is the RFC 8446 magic value). */
  helloRetryRequest: boolean;
  /** legacy_version as sent (0x0303 for TLS 1.3). */
  legacyVersion: CodeName;
  /** The version the server chose: supported_versions when present, else legacy_version. */
  version: CodeName;
  /** The suite the server chose, with its OpenSSL name when it has one. */
  cipherSuite: CodeName & { openssl?: string };
  compressionMethod: number;
  /** Length of the session id echoed or assigned. */
  sessionIdLength: number;
  extensions: ExtensionRef[];
  /** key_share: the group of the server's share, or in a HelloRetryRequest the group it asks for. */
  selectedGroup?: CodeName;
  /** The ALPN protocol chosen, made printable. */
  alpn?: string;
  extendedMasterSecret: boolean;
  secureRenegotiation: boolean;
  encryptThenMac: boolean;
  /** session_ticket acknowledged: a NewSessionTicket will follow (TLS 1.2 and below). */
  sessionTicket: boolean;
  /** pre_shared_key: the identity accepted (a TLS 1.3 resumption). */
  pskSelected?: number;
  /** A HelloRetryRequest cookie. */
  cookie?: boolean;
  /**
   * RFC 8446 4.1.3: the last 8 bytes of random say the server supports a
   * higher version than it chose: "TLSv1.3" (chose TLS 1.2), "TLSv1.2" (chose 1.1 or below).
   */
  downgradeSentinel?: "TLSv1.3" | "TLSv1.2";
}

// SHA-256("HelloRetryRequest"), RFC 8446 4.1.3.
const HRR_RANDOM = Uint8Array.from(
  "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c".match(/../g)!,
  (h) => parseInt(h, 16),
);
// "DOWNGRD", then 01 (TLS 1.2 chosen) or 00 (TLS 1.1 or below).
const DOWNGRADE = new TextEncoder().encode("DOWNGRD");

function _startsAt(bytes: Uint8Array, at: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}

/**
 * Decodes a ServerHello handshake body (after the 4-byte handshake header),
 * recognising a HelloRetryRequest. Bad bytes give `{ error }`; it never throws.
 *
 * @example
 * ```ts
 * declare const body: Uint8Array;
 * const hello = decodeServerHello(body);
 * if (!("error" in hello)) console.log(hello.version.name, hello.cipherSuite.name, hello.selectedGroup?.name);
 * ```
 */
export function decodeServerHello(body: Uint8Array): ServerHelloInfo | { error: string } {
  return _decode(() => {
    const r = new _Reader(body, "ServerHello");
    const legacy = r.u16("legacy_version");
    const random = r.take(32, "random");
    const sessionIdLength = r.vector(1, "legacy_session_id_echo").length;
    const suite = r.u16("cipher_suite");
    const compressionMethod = r.u8("legacy_compression_method");
    const ext = _readExtensions(r);
    const supported = ext.data.get(43);
    const hello: ServerHelloInfo = {
      helloRetryRequest: _startsAt(random, 0, HRR_RANDOM),
      legacyVersion: versionRef(legacy),
      version: versionRef(supported ? _u16(supported, "supported_versions", true) : legacy),
      cipherSuite: { ...cipherSuiteRef(suite), ..._openssl(suite) },
      compressionMethod,
      sessionIdLength,
      extensions: ext.list,
      extendedMasterSecret: ext.data.has(23),
      secureRenegotiation: ext.data.has(0xff01),
      encryptThenMac: ext.data.has(22),
      sessionTicket: ext.data.has(35),
    };
    let v: Uint8Array | undefined;
    if ((v = ext.data.get(51))) hello.selectedGroup = namedGroupRef(_u16(v, "key_share", false));
    if ((v = ext.data.get(16))) hello.alpn = _alpn(v)[0];
    if ((v = ext.data.get(41))) hello.pskSelected = _u16(v, "pre_shared_key", true);
    if (ext.data.has(44)) hello.cookie = true;
    if (_startsAt(random, 24, DOWNGRADE)) {
      const last = random[31];
      if (last === 1) hello.downgradeSentinel = "TLSv1.3";
      else if (last === 0) hello.downgradeSentinel = "TLSv1.2";
    }
    return hello;
  });
}

function _openssl(code: number): { openssl?: string } {
  const openssl = cipherSuite(code)?.openssl;
  return openssl ? { openssl } : {};
}
