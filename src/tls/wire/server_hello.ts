import { _alpn, _readExtensions, _u16 } from "./_extensions.ts";
import { _decode, _Reader } from "./_reader.ts";
import { cipherSuite, cipherSuiteRef } from "./cipher_suites.ts";
import { namedGroupRef, versionRef } from "./names.ts";
import type { ServerHelloInfo } from "../../outcome/wire.ts";
export type { ServerHelloInfo };

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
