import {
  DEFAULT_SIGNATURE_ALGORITHMS,
  type ProtocolVersionName,
  signatureSchemeRef,
} from "../tls/wire/mod.ts";
import { _decided, _helloFor, _NO_SKE, _probeEach } from "./_hellos.ts";
import type { NamedProbe } from "./report.ts";
import type { HelloScheduler } from "./scheduler.ts";

/**
 * The signature schemes probed: what OpenSSL 3 offers plus the TLS 1.2
 * SHA-1, SHA-224 and MD5 pairs, so that a server still signing with SHA-1
 * shows.
 *
 * @example
 * ```ts
 * import { PROBED_SIGNATURE_SCHEMES } from "./signature_algorithms.ts";
 * PROBED_SIGNATURE_SCHEMES.some((s) => s.name === "rsa_pkcs1_sha1"); // true
 * ```
 */
export const PROBED_SIGNATURE_SCHEMES: readonly { code: number; name: string }[] = [
  ...DEFAULT_SIGNATURE_ALGORITHMS,
  0x0101, // rsa_pkcs1_md5
].sort((a, b) => a - b).map(signatureSchemeRef);

/** Why the TLS 1.3 signature schemes are not probed: what a probe report notes instead of a list. */
export const TLS13_SIGNATURES_NOTE: string =
  "signature schemes in TLS 1.3: not determinable from the wire (the server signs in its " +
  "CertificateVerify, which TLS 1.3 encrypts; a ServerHello or HelloRetryRequest comes before it " +
  "and accepts no scheme)";

/**
 * The signature schemes a server signs with, one per hello.
 *
 * - TLS 1.2 (TLS 1.0 and 1.1 sign with fixed hashes and name none): its
 *   accepted suites with a signed key exchange (`signedSuites`: DHE or ECDHE with RSA,
 *   ECDSA or DSS) offered with one scheme in signature_algorithms;
 *   accepted when the ServerKeyExchange is signed with it, refused on an
 *   alert or another scheme, unknown when no ServerKeyExchange came.
 * - TLS 1.3: not probed, no hello is sent; every scheme is unknown
 *   ({@linkcode TLS13_SIGNATURES_NOTE}). The scheme is in the encrypted
 *   CertificateVerify: a ServerHello is no acceptance (rustls sends one and
 *   then refuses a scheme its key cannot make), a HelloRetryRequest no
 *   refusal.
 *
 * @example
 * ```ts
 * import { HelloScheduler } from "./scheduler.ts";
 * import { probeSignatureAlgorithms } from "./signature_algorithms.ts";
 * const scheduler = new HelloScheduler({ host: "127.0.0.1", port: 2762 });
 * const s = await probeSignatureAlgorithms(scheduler, "TLSv1.2", [0xc02f]);
 * console.log(s.accepted); // ["rsa_pkcs1_sha256", "rsa_pss_rsae_sha256", ...]
 * ```
 */
export function probeSignatureAlgorithms(
  scheduler: HelloScheduler,
  version: ProtocolVersionName,
  signedSuites: readonly number[],
): Promise<NamedProbe> {
  if (version === "TLSv1.3") {
    const why = "not determinable from the wire: TLS 1.3 encrypts the CertificateVerify";
    return _probeEach(version, PROBED_SIGNATURE_SCHEMES, () => Promise.resolve(why));
  }
  return _probeEach(version, PROBED_SIGNATURE_SCHEMES, async (scheme) => {
    const hello = _helloFor(version, { suites: signedSuites, signatureAlgorithms: [scheme] });
    const answer = await scheduler.send(hello, { untilServerHelloDone: true });
    const r = _decided(answer);
    if (typeof r === "string") return r;
    if (r.serverHello?.version.name !== version) return false;
    const ske = r.observation.serverKeyExchange;
    // A ServerHello alone says nothing of the signature, only its ServerKeyExchange does:
    // after it an alert refuses, a close or a stall tells nothing.
    if (!ske) return r.alert ? false : _NO_SKE;
    return "signatureAlgorithm" in ske && ske.signatureAlgorithm?.code === scheme;
  });
}
