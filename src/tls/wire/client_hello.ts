import { _alpn, _keyShareGroups, _readExtensions, _serverName, _u16List } from "./_extensions.ts";
import type { ExtensionRef } from "./_extensions.ts";
import { _decode, _Reader } from "./_reader.ts";
import { cipherSuiteRef } from "./cipher_suites.ts";
import { namedGroupRef, PROTOCOL_VERSIONS, signatureSchemeRef, versionRef } from "./names.ts";
import type { ClientHelloInfo } from "../../outcome/wire.ts";
export type { ClientHelloInfo };

export type { ExtensionRef };

/**
 * Decodes a ClientHello handshake body (after the 4-byte handshake header).
 * Bad bytes give `{ error }`; it never throws.
 *
 * @example
 * ```ts
 * declare const body: Uint8Array;
 * const hello = decodeClientHello(body);
 * if (!("error" in hello)) console.log(hello.offeredVersions, hello.serverName, hello.cipherSuites.length);
 * ```
 */
export function decodeClientHello(body: Uint8Array): ClientHelloInfo | { error: string } {
  return _decode(() => {
    const r = new _Reader(body, "ClientHello");
    const legacy = r.u16("legacy_version");
    r.take(32, "random");
    const sessionIdLength = r.vector(1, "legacy_session_id").length;
    const suites = r.u16List(2, "cipher_suites");
    const compressionMethods = [...r.vector(1, "compression_methods")];
    const ext = _readExtensions(r);
    const hello: ClientHelloInfo = {
      legacyVersion: versionRef(legacy),
      offeredVersions: [],
      sessionIdLength,
      cipherSuites: suites.map(cipherSuiteRef),
      compressionMethods,
      extensions: ext.list,
      extendedMasterSecret: ext.data.has(23),
      secureRenegotiation: ext.data.has(0xff01) || suites.includes(0x00ff),
      encryptThenMac: ext.data.has(22),
      earlyData: ext.data.has(42),
      statusRequest: ext.data.has(5),
      fallbackScsv: suites.includes(0x5600),
    };
    _clientExtensions(hello, ext.data);
    if (hello.supportedVersions) {
      hello.offeredVersions = hello.supportedVersions.filter((v) => !v.grease).map((v) => v.name);
    } else {
      // Without supported_versions a hello names its newest version only: older ones it may
      // or may not take, and no hello says which.
      const known = PROTOCOL_VERSIONS.filter((v) => v.code <= legacy);
      hello.offeredVersions = known.slice(-1).map((v) => v.name);
      if (known.length > 1) hello.olderVersionsUnknown = true;
    }
    return hello;
  });
}

function _clientExtensions(hello: ClientHelloInfo, data: Map<number, Uint8Array>): void {
  const get = (type: number) => data.get(type);
  let v: Uint8Array | undefined;
  if ((v = get(43))) {
    hello.supportedVersions = new _Reader(v, "supported_versions").u16List(1, "versions")
      .map(versionRef);
  }
  if ((v = get(0))) hello.serverName = _serverName(v);
  if ((v = get(16))) hello.alpn = _alpn(v);
  if ((v = get(10))) hello.supportedGroups = _u16List(v, "supported_groups").map(namedGroupRef);
  if ((v = get(13))) {
    hello.signatureAlgorithms = _u16List(v, "signature_algorithms").map(signatureSchemeRef);
  }
  if ((v = get(50))) {
    hello.signatureAlgorithmsCert = _u16List(v, "signature_algorithms_cert")
      .map(signatureSchemeRef);
  }
  if ((v = get(51))) hello.keyShares = _keyShareGroups(v).map(namedGroupRef);
  if ((v = get(11))) hello.ecPointFormats = [...new _Reader(v).vector(1, "ec_point_formats")];
  if ((v = get(35))) hello.sessionTicket = v.length > 0 ? "ticket" : "empty";
  if ((v = get(41))) hello.pskIdentities = _pskIdentities(v);
  if ((v = get(45))) {
    hello.pskModes = [...new _Reader(v, "psk_key_exchange_modes").vector(1, "modes")]
      .map((m) => m === 0 ? "psk_ke" : m === 1 ? "psk_dhe_ke" : `unknown_${m}`);
  }
}

function _pskIdentities(data: Uint8Array): number {
  const identities = new _Reader(data, "pre_shared_key").sub(2, "identities");
  let count = 0;
  while (identities.remaining > 0) {
    identities.vector(2, "identity");
    identities.take(4, "obfuscated_ticket_age");
    count++;
  }
  return count;
}
