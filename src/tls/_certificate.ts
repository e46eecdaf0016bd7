import type { CertificateInfo } from "../outcome/mod.ts";
import { x509 } from "./_x509.ts";
import { thumbprintOf } from "./certificate_info.ts";

/** {@linkcode certificateInfo} for an already parsed certificate. */
export function describe(
  cert: x509.X509Certificate,
  der: Uint8Array = new Uint8Array(cert.rawData),
): CertificateInfo {
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serial: cert.serialNumber.toUpperCase(),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    key: keyDescription(cert),
    signatureAlgorithm: signatureAlgorithmName(cert),
    san: subjectAltNames(cert),
    sha1: thumbprintOf(der, "sha1"),
    sha256: thumbprintOf(der, "sha256"),
  };
}

/** "RSA 2048", "EC P-256", "Ed25519". */
export function keyDescription(cert: x509.X509Certificate): string {
  const a = cert.publicKey.algorithm as {
    name: string;
    modulusLength?: number;
    namedCurve?: string;
  };
  if (a.modulusLength !== undefined) return `RSA ${a.modulusLength}`;
  if (a.namedCurve) return `EC ${a.namedCurve}`;
  return a.name;
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

/** OpenSSL's name of the signature algorithm: "ecdsa-with-SHA256", "sha256WithRSAEncryption". */
export function signatureAlgorithmName(cert: x509.X509Certificate): string {
  const name = cert.signatureAlgorithm.name;
  const hash = signatureHash(cert);
  if (name === "ECDSA") return `ecdsa-with-${hash.toUpperCase()}`;
  if (name === "RSASSA-PKCS1-v1_5") return `${hash}WithRSAEncryption`;
  if (name === "RSA-PSS") return "rsassaPss";
  return name;
}

/** Subject alternative names as OpenSSL prints them: "DNS:localhost", "IP:127.0.0.1". */
export function subjectAltNames(cert: x509.X509Certificate): string[] {
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const prefix: Record<string, string> = { dns: "DNS", ip: "IP", email: "email", url: "URI" };
  return ext?.names.items.map((n) => `${prefix[n.type] ?? n.type}:${n.value}`) ?? [];
}
