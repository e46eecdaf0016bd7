import { createHash } from "node:crypto";
import type { CertificateInfo } from "../outcome/mod.ts";
import { plain, x509 } from "./_x509.ts";
import { describe } from "./_certificate.ts";

/**
 * Plain data about one certificate (DER): names, serial, validity, key,
 * signature algorithm, subject alternative names and thumbprints (SHA-1 and
 * SHA-256, uppercase hex without separators, as Windows shows them).
 * Throws when the bytes are not a certificate.
 *
 * @example
 * ```ts
 * const info = certificateInfo(der);
 * console.log(info.subject, info.key, info.sha1); // "CN=server" "EC P-256" "A1B2..."
 * ```
 */
export function certificateInfo(der: Uint8Array): CertificateInfo {
  return describe(new x509.X509Certificate(plain(der)), der);
}

/**
 * The thumbprint of a certificate's DER bytes: uppercase hex, no separators.
 *
 * @example
 * ```ts
 * thumbprintOf(der, "sha256"); // "3F9A..."
 * ```
 */
export function thumbprintOf(der: Uint8Array, hash: "sha1" | "sha256"): string {
  return createHash(hash).update(der).digest("hex").toUpperCase();
}
