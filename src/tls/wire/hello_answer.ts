import { cipherSuite } from "./cipher_suites.ts";
import type { ClientHelloInfo } from "./client_hello.ts";
import type { ServerHelloInfo } from "./server_hello.ts";

// The supported_versions extension (RFC 8446 4.2.1).
const SUPPORTED_VERSIONS = 43;

/**
 * Why a ServerHello (or HelloRetryRequest) is no valid answer to the
 * ClientHello it answers, as a client must check it before going on (RFC
 * 8446 4.1.3, 4.1.4, 4.2.1, 4.2.8; RFC 5246 7.4.1.3): a suite, compression
 * method, version or group that was not offered, a version newer than the
 * hello's, a suite the version does not have, TLS 1.3 without
 * supported_versions or without a key share, a HelloRetryRequest that asks
 * for nothing new, an extension twice. Undefined when it is a valid answer.
 * Extensions the hello did not ask for are not held against it (servers
 * add renegotiation_info to a hello that only sent its SCSV). Pure.
 *
 * @example
 * ```ts
 * import { checkServerHello } from "./hello_answer.ts";
 * import type { ClientHelloInfo, ServerHelloInfo } from "./mod.ts";
 * declare const sent: ClientHelloInfo, answer: ServerHelloInfo;
 * checkServerHello(sent, answer); // e.g. "chose TLS_RSA_WITH_RC4_128_MD5, which was not offered"
 * ```
 */
export function checkServerHello(
  client: ClientHelloInfo,
  server: ServerHelloInfo,
): string | undefined {
  return _twice(server) ?? _version(client, server) ?? _choices(client, server) ??
    (server.helloRetryRequest ? _retry(client, server) : _keyShare(client, server));
}

// RFC 8446 4.2, RFC 5246 7.4.1.4: one extension of a type at most (the decoder reads the first).
function _twice(server: ServerHelloInfo): string | undefined {
  const e = server.extensions;
  const twice = e.find((x, i) => e.findIndex((y) => y.code === x.code) < i);
  return twice && `two ${twice.name} extensions`;
}

function _version(client: ClientHelloInfo, server: ServerHelloInfo): string | undefined {
  const v = server.version;
  if (server.extensions.some((e) => e.code === SUPPORTED_VERSIONS)) {
    if (!client.supportedVersions) {
      return "answered with supported_versions, which the hello did not send";
    }
    if (!client.offeredVersions.includes(v.name)) return `chose ${v.name}, which was not offered`;
    if (v.code < 0x0304) return `chose ${v.name} in supported_versions, where only TLS 1.3 may be`;
    if (server.legacyVersion.code !== 0x0303) {
      return `legacy_version ${server.legacyVersion.name} in a TLS 1.3 ServerHello (must be TLSv1.2)`;
    }
    return undefined;
  }
  if (v.code === 0x0304) return "chose TLSv1.3 without supported_versions";
  if (v.code > client.legacyVersion.code) {
    return `chose ${v.name}, newer than the ${client.legacyVersion.name} offered`;
  }
  if (v.code < 0x0300) return `chose ${v.name}, which is no SSL 3.0 or TLS version`;
  if (server.helloRetryRequest) return `a HelloRetryRequest for ${v.name} (only TLS 1.3 has one)`;
  return undefined;
}

function _choices(client: ClientHelloInfo, server: ServerHelloInfo): string | undefined {
  const suite = server.cipherSuite;
  const known = cipherSuite(suite.code);
  if (!client.cipherSuites.some((c) => c.code === suite.code) || suite.grease || known?.signaling) {
    return `chose ${suite.name}, which was not offered`;
  }
  if (known && !(known.versions as readonly string[]).includes(server.version.name)) {
    return `chose ${suite.name}, which ${server.version.name} does not have`;
  }
  if (!client.compressionMethods.includes(server.compressionMethod)) {
    return `chose compression method ${server.compressionMethod}, which was not offered`;
  }
  if (server.pskSelected !== undefined && client.pskIdentities === undefined) {
    return "selected a pre_shared_key, which the hello did not offer";
  }
  return undefined;
}

function _retry(client: ClientHelloInfo, server: ServerHelloInfo): string | undefined {
  const group = server.selectedGroup;
  if (!group) {
    return server.cookie
      ? undefined
      : "a HelloRetryRequest that asks for no key share and sends no cookie";
  }
  if (!client.supportedGroups?.some((g) => g.code === group.code)) {
    return `a HelloRetryRequest for group ${group.name}, which was not offered`;
  }
  if (client.keyShares?.some((g) => g.code === group.code)) {
    return `a HelloRetryRequest for group ${group.name}, whose key share the hello already sent`;
  }
  return undefined;
}

function _keyShare(client: ClientHelloInfo, server: ServerHelloInfo): string | undefined {
  if (server.version.code !== 0x0304) return undefined;
  const group = server.selectedGroup;
  if (!group) return "a TLS 1.3 ServerHello without key_share";
  if (!client.keyShares?.some((g) => g.code === group.code)) {
    return `a key share for group ${group.name}, which the hello sent no share for`;
  }
  return undefined;
}
