import {
  DEFAULT_SIGNATURE_ALGORITHMS,
  type ProtocolVersionName,
  signatureSchemeRef,
} from "../tls/wire/mod.ts";
import { _helloFor, _probeEach } from "./_hellos.ts";
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

/**
 * The signature schemes a server signs with, one per hello.
 *
 * - TLS 1.2 (TLS 1.0 and 1.1 sign with fixed hashes and name none): its
 *   accepted suites with a signed key exchange (`signedSuites`: DHE or ECDHE with RSA,
 *   ECDSA or DSS) offered with one scheme in signature_algorithms;
 *   accepted when the ServerKeyExchange is signed with it.
 * - TLS 1.3: accepted when the server answers with a ServerHello (it picks
 *   the scheme for its CertificateVerify before that, and refuses with an
 *   alert when it has none).
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
  const tls13 = version === "TLSv1.3";
  return _probeEach(version, PROBED_SIGNATURE_SCHEMES, async (scheme) => {
    const hello = _helloFor(version, { suites: signedSuites, signatureAlgorithms: [scheme] });
    const answer = await scheduler.send(hello, { untilServerHelloDone: !tls13 });
    if (answer.status === "unknown") return answer.why;
    const r = answer.result;
    if (r.serverHello?.version.name !== version) return false;
    if (tls13) return true;
    const ske = r.observation.serverKeyExchange;
    return ske !== undefined && "signatureAlgorithm" in ske &&
      ske.signatureAlgorithm?.code === scheme;
  });
}
