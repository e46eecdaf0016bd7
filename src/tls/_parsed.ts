import { X509Certificate as NativeCertificate } from "node:crypto";
import { thumbprintOf } from "./certificate_info.ts";
import { plain, x509 } from "./_x509.ts";

// A peer sends the same chain on every connection and the anchors rarely
// change, while @peculiar/x509 takes about 1.5 ms to parse one certificate and
// re-decodes every extension on each getExtension() call. Everything kept here
// is a pure function of the certificate bytes, never a verdict that depends
// on time, policy or anchors.
const MAX_PARSED = 256;
const parsed = new Map<string, x509.X509Certificate>();
const extensions = new WeakMap<x509.X509Certificate, Map<unknown, unknown>>();
const signatures = new WeakMap<x509.X509Certificate, WeakMap<x509.X509Certificate, boolean>>();

/**
 * Parses DER with @peculiar/x509, reusing the object for bytes parsed before
 * (the least recently used of {@linkcode MAX_PARSED} is dropped). Throws like
 * the constructor for bytes that are not a certificate.
 */
export function parseCertificate(der: Uint8Array): x509.X509Certificate {
  const key = thumbprintOf(der, "sha256");
  const known = parsed.get(key);
  if (known) {
    parsed.delete(key);
    parsed.set(key, known);
    return known;
  }
  const cert = new x509.X509Certificate(plain(der));
  parsed.set(key, cert);
  if (parsed.size > MAX_PARSED) parsed.delete(parsed.keys().next().value!);
  return cert;
}

/** `cert.getExtension(type)`, decoded once per certificate object. */
export function extensionOf<T extends x509.Extension>(
  cert: x509.X509Certificate,
  type: new (raw: BufferSource) => T,
): T | null {
  let byType = extensions.get(cert);
  if (!byType) extensions.set(cert, byType = new Map());
  if (!byType.has(type)) byType.set(type, cert.getExtension(type));
  return byType.get(type) as T | null;
}

/**
 * Whether `issuer`'s key verifies `cert`'s signature, remembered per pair.
 * node:crypto's native check first (under 1 ms); in Deno it also says false
 * for SHA-1 signatures and RSA-1024 keys (measured), so a `false` is
 * confirmed by @peculiar/x509, which judges the signature alone.
 */
export async function signedBy(
  cert: x509.X509Certificate,
  issuer: x509.X509Certificate,
): Promise<boolean> {
  let byIssuer = signatures.get(cert);
  if (!byIssuer) signatures.set(cert, byIssuer = new WeakMap());
  let verdict = byIssuer.get(issuer);
  if (verdict === undefined) {
    verdict = nativeVerify(cert, issuer) || await portableVerify(cert, issuer);
    byIssuer.set(issuer, verdict);
  }
  return verdict;
}

function nativeVerify(cert: x509.X509Certificate, issuer: x509.X509Certificate): boolean {
  try {
    const key = new NativeCertificate(new Uint8Array(issuer.rawData)).publicKey;
    return new NativeCertificate(new Uint8Array(cert.rawData)).verify(key);
  } catch {
    return false;
  }
}

async function portableVerify(
  cert: x509.X509Certificate,
  issuer: x509.X509Certificate,
): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: issuer, signatureOnly: true });
  } catch {
    return false;
  }
}
