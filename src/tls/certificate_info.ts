import { Buffer } from "node:buffer";
import { createHash, X509Certificate } from "node:crypto";
import type { CertificateInfo } from "../outcome/mod.ts";
import { _children, _readTlv } from "./_der.ts";
import { _nameText } from "./_name.ts";

/**
 * Plain data about one certificate (DER): names, serial, validity, key,
 * signature algorithm, subject alternative names and thumbprints (SHA-1 and
 * SHA-256, uppercase hex without separators, as Windows shows them).
 * Throws when the bytes are not a certificate.
 *
 * @example
 * ```ts
 * import { certificateInfo } from "./certificate_info.ts";
 * declare const der: Uint8Array;
 * const info = certificateInfo(der);
 * console.log(info.subject, info.key, info.sha1); // "CN=server" "EC P-256" "A1B2..."
 * ```
 */
export function certificateInfo(der: Uint8Array): CertificateInfo {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64");
  let info = described.get(key);
  if (info) {
    described.delete(key);
  } else {
    info = describe(der);
    if (described.size >= MAX_DESCRIBED) described.delete(described.keys().next().value!);
  }
  described.set(key, info);
  return { ...info, san: [...info.san] };
}

// A peer sends the same certificates on every connection. Each X509Certificate
// holds native memory that only a garbage collection frees (about 8 kB per
// certificate, piling up over thousands of cases), so the description of
// recent certificates is kept (least recently used dropped) and copied out.
const MAX_DESCRIBED = 256;
const described = new Map<string, CertificateInfo>();

function describe(der: Uint8Array): CertificateInfo {
  // node:crypto's native X509Certificate: about 60 times faster than parsing
  // with @peculiar/x509, which matters once per peer certificate per association.
  const cert = new X509Certificate(der);
  return {
    subject: nameOf(() => cert.subject, der, "subject"),
    issuer: nameOf(() => cert.issuer, der, "issuer"),
    serial: cert.serialNumber.toUpperCase(),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    key: keyDescription(cert),
    signatureAlgorithm: (cert as { signatureAlgorithm?: string }).signatureAlgorithm ?? "",
    san: (cert.subjectAltName?.split(", ") ?? []).map((n) => n.replace(/^IP Address:/, "IP:")),
    sha1: thumbprintOf(der, "sha1"),
    sha256: thumbprintOf(der, "sha256"),
  };
}

// Deno's node:crypto throws "invalid attributes" for a name with a byte its
// string type does not allow (a TeletexString's 8-bit "M\xFCller", legal
// T.61; a PrintableString with 0xFF): such a name is read from the DER.
function nameOf(native: () => string, der: Uint8Array, which: "issuer" | "subject"): string {
  try {
    return native().split("\n").join(", ");
  } catch {
    // TBSCertificate ::= SEQUENCE { [0] version, serial, signature, issuer, validity, subject, ... }
    const fields = _children(der, _children(der, _readTlv(der, 0))[0]);
    if (fields[0]?.tag === 0xa0) fields.shift();
    return _nameText(der, fields[which === "issuer" ? 2 : 4]);
  }
}

const CURVES: Record<string, string> = {
  prime256v1: "P-256",
  secp384r1: "P-384",
  secp521r1: "P-521",
};

function keyDescription(cert: X509Certificate): string {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "rsa" || key.asymmetricKeyType === "rsa-pss") {
    return `RSA ${details.modulusLength}`;
  }
  if (key.asymmetricKeyType === "ec") {
    return `EC ${CURVES[details.namedCurve ?? ""] ?? details.namedCurve}`;
  }
  return key.asymmetricKeyType === "ed25519" ? "Ed25519" : String(key.asymmetricKeyType);
}

/**
 * The thumbprint of a certificate's DER bytes: uppercase hex, no separators.
 *
 * @example
 * ```ts
 * import { thumbprintOf } from "./certificate_info.ts";
 * declare const der: Uint8Array;
 * thumbprintOf(der, "sha256"); // "3F9A..."
 * ```
 */
export function thumbprintOf(der: Uint8Array, hash: "sha1" | "sha256"): string {
  return createHash(hash).update(der).digest("hex").toUpperCase();
}
