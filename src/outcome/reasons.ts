/**
 * Why a certificate fails verification: the vocabulary shared by the PKI
 * manifest (what a correct verifier must conclude), our path checker (what it
 * concluded) and scenario expectations.
 */
export const VERIFICATION_REASONS = [
  /** notAfter is in the past at the verification time. */
  "expired",
  /** notBefore is in the future at the verification time. */
  "not-yet-valid",
  /** No path to a trust anchor: the issuer is unknown (e.g. a rogue CA). */
  "unknown-issuer",
  /** A self-signed certificate that is not itself a trust anchor. */
  "self-signed",
  /** A signature in the path does not verify (corrupted certificate). */
  "bad-signature",
  /** An issuer in the path is not a CA (basicConstraints) or may not sign certificates (keyUsage). */
  "not-a-ca",
  /** The path is longer than an issuer's pathLenConstraint allows. */
  "path-too-long",
  /** keyUsage / extendedKeyUsage do not permit the role (TLS client or server). */
  "wrong-usage",
  /** Host name or IP address not in subjectAltName (only when host checking is on). */
  "hostname-mismatch",
  /** Listed in its issuer's CRL. */
  "revoked",
  /** Key smaller than the configured minimum (e.g. RSA-1024). */
  "weak-key",
  /** Signed with a hash below the configured minimum (e.g. SHA-1). */
  "weak-hash",
  /** Thumbprint policy: the certificate's thumbprint is not in the accepted list. */
  "thumbprint-not-accepted",
  /** The peer presented no certificate where one is required. */
  "no-certificate",
  /** The private key does not match the certificate (a local configuration fault). */
  "key-mismatch",
  /** The certificate could not be parsed. */
  "malformed",
] as const;

/** One reason from {@linkcode VERIFICATION_REASONS}. */
export type VerificationReason = typeof VERIFICATION_REASONS[number];

/**
 * Whether `value` is a known verification reason.
 *
 * @example
 * ```ts
 * import { isVerificationReason } from "./reasons.ts";
 * isVerificationReason("expired"); // true
 * ```
 */
export function isVerificationReason(value: string): value is VerificationReason {
  return (VERIFICATION_REASONS as readonly string[]).includes(value);
}
