import type { ClientHelloInfo } from "../outcome/mod.ts";
import { cipherSuite } from "../tls/wire/mod.ts";
import { offeredVersionsText } from "../outcome/mod.ts";
import {
  offeredMax,
  offeredMin,
  TLS_VERSIONS,
  type TlsParameters,
  type TlsStackName,
  type TlsVersion,
} from "../tls/mod.ts";
import { RUSTLS_VERSIONS } from "../tls/version.ts";

/** What our listener accepts: its stack, its TLS parameters and the key type of its certificate. */
export interface ServerOffer {
  /** The stack that answered the client. */
  stack: TlsStackName;
  /** Versions and (OpenSSL) suites as configured. */
  tls: TlsParameters;
  /** Our certificate's key: it decides the TLS 1.2 suites we can use. */
  keyType?: "ec" | "rsa";
}

// rustls's suites (Deno 2): TLS 1.3 and, in TLS 1.2, ECDHE with AES-GCM or ChaCha20 only.
const RUSTLS_TLS13 = [
  "TLS_AES_128_GCM_SHA256",
  "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
];
const rustlsTls12 = (au: string) => [
  `TLS_ECDHE_${au}_WITH_AES_128_GCM_SHA256`,
  `TLS_ECDHE_${au}_WITH_AES_256_GCM_SHA384`,
  `TLS_ECDHE_${au}_WITH_CHACHA20_POLY1305_SHA256`,
];

/**
 * Why a client's handshake could not agree with our listener, read from its
 * ClientHello: no TLS version in common, or no cipher suite in common in
 * any version both accept. Undefined when the hello leaves room for
 * agreement (the refusal has another cause: a certificate, a group) or when
 * our side's suites are the stack's defaults we cannot list (OpenSSL
 * without `ciphers`).
 *
 * @example
 * ```ts
 * import { refusalCause } from "./refusal_cause.ts";
 * import type { ClientHelloInfo } from "../outcome/mod.ts";
 * declare const hello: ClientHelloInfo;
 * refusalCause(hello, { stack: "openssl", tls: { min: "TLSv1", max: "TLSv1" } });
 * // "no common TLS version: the client offered TLSv1.3, TLSv1.2; we accept TLSv1"
 * ```
 */
export function refusalCause(hello: ClientHelloInfo, server: ServerOffer): string | undefined {
  const ours = acceptedVersions(server);
  const offered = hello.offeredVersions.filter((v): v is TlsVersion =>
    (TLS_VERSIONS as readonly string[]).includes(v)
  );
  // A hello without supported_versions names its newest version: any older one may do too.
  const newest = Math.max(...offered.map((v) => TLS_VERSIONS.indexOf(v)));
  const possible = (v: TlsVersion) =>
    offered.includes(v) ||
    (hello.olderVersionsUnknown === true && TLS_VERSIONS.indexOf(v) < newest);
  const common = ours.filter(possible);
  if (common.length === 0) {
    return `no common TLS version: the client offered ${offeredVersionsText(hello)}; we accept ${
      ours.join(", ")
    }`;
  }
  const names = hello.cipherSuites.filter((s) => !s.grease).map((s) => s.name);
  const unknown: TlsVersion[] = [];
  for (const version of common) {
    const accepted = acceptedSuites(version, server);
    if (!accepted) unknown.push(version);
    else if (names.some((n) => accepted.includes(n))) return undefined;
  }
  if (unknown.length) return undefined;
  const ourSuites = [...new Set(common.flatMap((v) => acceptedSuites(v, server) ?? []))];
  return `no common cipher suite in ${common.join(", ")}: the client offered ${
    shortList(names)
  }; we accept ${ourSuites.join(", ")}`;
}

function acceptedVersions(server: ServerOffer): TlsVersion[] {
  const all = server.stack === "rustls" ? RUSTLS_VERSIONS : TLS_VERSIONS;
  // As the stack offers them: suites of TLS 1.2 alone leave TLS 1.3 out.
  const max = offeredMax({ maxVersion: server.tls.max, ...server.tls });
  const min = offeredMin({ minVersion: server.tls.min, maxVersion: server.tls.max });
  return all.filter((v) =>
    (!min || TLS_VERSIONS.indexOf(v) >= TLS_VERSIONS.indexOf(min)) &&
    (!max || TLS_VERSIONS.indexOf(v) <= TLS_VERSIONS.indexOf(max))
  );
}

// IANA names of the suites we accept in `version`; undefined when they are the stack's unlisted defaults.
function acceptedSuites(version: TlsVersion, server: ServerOffer): string[] | undefined {
  const au = server.keyType === "rsa" ? "RSA" : "ECDSA";
  if (server.stack === "rustls") return version === "TLSv1.3" ? RUSTLS_TLS13 : rustlsTls12(au);
  const listed = version === "TLSv1.3" ? server.tls.ciphersuites : server.tls.ciphers;
  return listed?.map((n) => cipherSuite(n)?.iana ?? n);
}

function shortList(names: string[]): string {
  if (names.length === 0) return "no suites";
  const shown = names.slice(0, 4).join(", ");
  return names.length > 4 ? `${names.length} suites (${shown}, ...)` : shown;
}
