import type { CertificateInfo } from "../outcome/mod.ts";
import type { x509 } from "./_x509.ts";
import { certificateInfo } from "./certificate_info.ts";

/** {@linkcode certificateInfo} for an already parsed certificate. */
export function describe(cert: x509.X509Certificate): CertificateInfo {
  return certificateInfo(new Uint8Array(cert.rawData));
}

/** The key size in bits of an RSA key, undefined for other key types. */
export function rsaBits(cert: x509.X509Certificate): number | undefined {
  return (cert.publicKey.algorithm as { modulusLength?: number }).modulusLength;
}

/** The hash of the signature, lowercase without dash: "sha1", "sha256", ... ("" when none, as for Ed25519). */
export function signatureHash(cert: x509.X509Certificate): string {
  const a = cert.signatureAlgorithm as { hash?: { name: string } };
  return (a.hash?.name ?? "").toLowerCase().replace("-", "");
}
