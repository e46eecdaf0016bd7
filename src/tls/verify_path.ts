import type { CertificateInfo, VerificationReason } from "../outcome/mod.ts";
import { VERIFICATION_REASONS } from "../outcome/mod.ts";
import { InputError } from "../yaml/input_error.ts";
import { KEY_USAGE as KU, parseCertificate, type ParsedCertificate, signedBy } from "./_parsed.ts";
import { certificateInfo, thumbprintOf } from "./certificate_info.ts";
import { hostnameProblem } from "./_hostname.ts";

/** Signature hashes from weakest to strongest, for {@linkcode PathCheckOptions.minHash}. */
export const HASH_STRENGTH = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"] as const;

/** A signature hash name from {@linkcode HASH_STRENGTH}. */
export type HashName = typeof HASH_STRENGTH[number];

/** What to check: the peer's chain, what we trust, and the optional policy limits. */
export interface PathCheckOptions {
  /** The certificates the peer sent (DER), leaf first. */
  chain: readonly Uint8Array[];
  /** Trusted CA (or pinned) certificates, DER. */
  anchors: readonly Uint8Array[];
  /** Verification time; default now. */
  at?: Date;
  /** The role the leaf must be allowed to play (extended key usage, key usage). */
  purpose?: "server" | "client";
  /** DNS name or IP address the leaf's subjectAltName must contain; unchecked when omitted. */
  hostname?: string;
  /** CRLs (DER) of issuers in the path; a listed serial gives `revoked`. */
  crls?: readonly Uint8Array[];
  /** Minimum RSA modulus size in bits. */
  minRsaBits?: number;
  /** Weakest signature hash accepted. */
  minHash?: HashName;
}

/** The verdict: every reason the path fails, with one detail line each, and the path built. */
export interface PathCheckResult {
  /** Whether the path is valid: no reason at all. */
  ok: boolean;
  /** Every reason it fails, in the order found. */
  reasons: VerificationReason[];
  /** One line of detail per reason, same order. */
  details: string[];
  /** The certification path built, leaf first, ending at a trust anchor when one was reached. */
  path: CertificateInfo[];
}

const OID = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  anyExtendedKeyUsage: "2.5.29.37.0",
};

/**
 * Our own certification path checker (RFC 5280 subset, as a TLS peer needs
 * it): builds the path from the peer's certificates to a trust anchor (by
 * name and key identifier), then checks signatures, validity at `at`, basic
 * constraints and path length, issuers' keyCertSign, the leaf's key usage and
 * extended key usage for `purpose`, the host name or IP against
 * subjectAltName, revocation in `crls` (whose signatures are checked too),
 * and minimum key size and signature hash. Returns EVERY reason found, not
 * just the first.
 *
 * Host names are matched against subjectAltName only (no fallback to the
 * subject CN, as RFC 6125 and browsers do); `*.` wildcards cover one label.
 *
 * @example
 * ```ts
 * import { verifyCertificatePath } from "./verify_path.ts";
 * declare const leafDer: Uint8Array, intermediateDer: Uint8Array, rootDer: Uint8Array;
 * const r = await verifyCertificatePath({
 *   chain: [leafDer, intermediateDer],
 *   anchors: [rootDer],
 *   purpose: "server",
 * });
 * if (!r.ok) console.log(r.reasons); // e.g. ["expired", "hostname-mismatch"]
 * ```
 */
export async function verifyCertificatePath(options: PathCheckOptions): Promise<PathCheckResult> {
  const found = new Map<VerificationReason, string[]>();
  const fail = (reason: VerificationReason, detail: string) => {
    found.set(reason, [...(found.get(reason) ?? []), `${reason}: ${detail}`]);
  };
  const result = (path: ParsedCertificate[]): PathCheckResult => {
    const reasons = VERIFICATION_REASONS.filter((r) => found.has(r));
    return {
      ok: reasons.length === 0,
      reasons,
      details: reasons.flatMap((r) => found.get(r)!),
      path: path.map((c) => certificateInfo(c.der)),
    };
  };

  if (options.chain.length === 0) {
    fail("no-certificate", "the peer presented no certificate");
    return result([]);
  }
  const sent: ParsedCertificate[] = [];
  for (const [i, der] of options.chain.entries()) {
    try {
      sent.push(parseCertificate(der));
    } catch (e) {
      fail(
        "malformed",
        `certificate ${i} of the peer's chain cannot be parsed: ${(e as Error).message}`,
      );
      if (i === 0) return result([]);
    }
  }
  const anchors = options.anchors.map((der, i) => parseOrThrow(der, `trust anchor ${i}`));
  const at = options.at ?? new Date();

  const { path, trusted, cut } = await buildPath(sent, anchors);
  const leaf = path[0];
  const last = path[path.length - 1];
  if (cut) {
    fail(
      "unknown-issuer",
      `the path from the peer's certificate reaches no trust anchor within ${MAX_PATH_ISSUERS} issuers (it goes on to ${last.issuer}; longer paths are not followed)`,
    );
  } else if (!trusted) {
    if (path.length === 1 && isSelfIssued(leaf)) {
      fail("self-signed", `${leaf.subject} is self-signed and not a trust anchor`);
    } else {
      fail(
        "unknown-issuer",
        isSelfIssued(last)
          ? `the path ends at ${last.subject}, a self-signed CA that is not a trust anchor`
          : `no certificate of issuer ${last.issuer} among the peer's chain or the trust anchors`,
      );
    }
  }

  for (const [i, cert] of path.entries()) {
    await checkInPath(cert, { ...options, at, fail, index: i, path, trusted });
  }
  if (options.hostname !== undefined) {
    const problem = hostnameProblem(leaf, options.hostname);
    if (problem) fail("hostname-mismatch", problem);
  }
  return result(path);
}

// The checks of one certificate of the path: validity, its issuer's
// signature, CA and usage extensions, key size, hash, revocation.
async function checkInPath(
  cert: ParsedCertificate,
  o: PathCheckOptions & {
    at: Date;
    fail: Fail;
    index: number;
    path: ParsedCertificate[];
    trusted: boolean;
  },
): Promise<void> {
  const { at, fail, index: i, path } = o;
  const issuer = path[i + 1];
  const isAnchor = o.trusted && i === path.length - 1;
  if (at < cert.notBefore) {
    fail("not-yet-valid", `${cert.subject}: notBefore ${iso(cert.notBefore)} is after ${iso(at)}`);
  }
  if (at > cert.notAfter) {
    fail("expired", `${cert.subject}: notAfter ${iso(cert.notAfter)} is before ${iso(at)}`);
  }
  if (issuer && !await signedBy(cert, issuer)) {
    fail(
      "bad-signature",
      `the signature of ${cert.subject} does not verify with the key of ${issuer.subject}`,
    );
  }
  if (i > 0) checkIssuer(cert, i, fail);
  if (o.purpose) checkPurpose(cert, i === 0, o.purpose, fail);
  const bits = cert.rsaBits;
  if (o.minRsaBits !== undefined && bits !== undefined && bits < o.minRsaBits) {
    fail("weak-key", `${cert.subject}: RSA ${bits} bits is below the minimum ${o.minRsaBits}`);
  }
  // A trust anchor's self-signature is not relied upon, so its hash does not matter.
  const hash = cert.signatureHash;
  if (o.minHash && !(isAnchor && isSelfIssued(cert)) && weaker(hash, o.minHash)) {
    fail("weak-hash", `${cert.subject} is signed with ${hash}, below the minimum ${o.minHash}`);
  }
  if (o.crls?.length && issuer && !isAnchor) await checkRevocation(cert, issuer, o.crls, fail);
}

type Fail = (reason: VerificationReason, detail: string) => void;

function parseOrThrow(der: Uint8Array, what: string): ParsedCertificate {
  try {
    return parseCertificate(der);
  } catch (e) {
    throw new InputError({ message: `${what} is not a certificate: ${(e as Error).message}` });
  }
}

function iso(d: Date): string {
  return d.toISOString().replace(".000Z", "Z");
}

function isSelfIssued(cert: ParsedCertificate): boolean {
  return cert.subject === cert.issuer;
}

function sameCertificate(a: ParsedCertificate, b: ParsedCertificate): boolean {
  return a.subject === b.subject &&
    thumbprintOf(a.spki, "sha256") === thumbprintOf(b.spki, "sha256");
}

/** Whether `candidate` may have issued `cert`: its subject is the issuer name and the key identifiers agree. */
function mayHaveIssued(candidate: ParsedCertificate, cert: ParsedCertificate): boolean {
  if (candidate.subject !== cert.issuer) return false;
  const aki = cert.authorityKeyId;
  const ski = cert === candidate ? undefined : candidate.subjectKeyId;
  return !aki || !ski || aki === ski;
}

/**
 * Issuers followed from the peer's certificate: a peer may send a chain of
 * a hundred CAs, and each step tries the signature of every candidate.
 */
const MAX_PATH_ISSUERS = 16;

/** Builds the path leaf first; prefers anchors, then issuers whose signature verifies. */
async function buildPath(
  sent: ParsedCertificate[],
  anchors: ParsedCertificate[],
): Promise<{ path: ParsedCertificate[]; trusted: boolean; cut?: boolean }> {
  const path = [sent[0]];
  for (let depth = 0;; depth++) {
    const current = path[path.length - 1];
    if (anchors.some((a) => sameCertificate(a, current))) return { path, trusted: true };
    const candidates = [...anchors, ...sent].filter((c) =>
      !path.some((p) => sameCertificate(p, c)) && mayHaveIssued(c, current)
    );
    if (candidates.length === 0) break;
    if (depth === MAX_PATH_ISSUERS) return { path, trusted: false, cut: true };
    let next = candidates[0];
    for (const c of candidates) {
      if (await signedBy(current, c)) {
        next = c;
        break;
      }
    }
    path.push(next);
  }
  return { path, trusted: false };
}

function checkIssuer(cert: ParsedCertificate, index: number, fail: Fail): void {
  const bc = cert.basicConstraints;
  if (!bc?.ca) {
    fail(
      "not-a-ca",
      `${cert.subject} issues certificates but basicConstraints says it is not a CA`,
    );
  }
  const ku = cert.keyUsage;
  if (ku !== undefined && !(ku & KU.keyCertSign)) {
    fail("not-a-ca", `${cert.subject} issues certificates but its keyUsage lacks keyCertSign`);
  }
  // The intermediates below this issuer, not counting the leaf.
  const below = index - 1;
  if (bc?.pathLength !== undefined && below > bc.pathLength) {
    fail(
      "path-too-long",
      `${cert.subject} allows ${bc.pathLength} intermediate(s) below it, the path has ${below}`,
    );
  }
}

function checkPurpose(
  cert: ParsedCertificate,
  isLeaf: boolean,
  purpose: "server" | "client",
  fail: Fail,
) {
  const wanted = purpose === "server" ? OID.serverAuth : OID.clientAuth;
  const usages = cert.extendedKeyUsage;
  if (usages && !usages.includes(wanted) && !usages.includes(OID.anyExtendedKeyUsage)) {
    fail(
      "wrong-usage",
      `${cert.subject}: extendedKeyUsage does not allow TLS ${purpose} authentication`,
    );
  }
  const ku = cert.keyUsage;
  // What OpenSSL's sslclient/sslserver purposes accept of a leaf's keyUsage.
  const needed = purpose === "server"
    ? KU.digitalSignature | KU.keyEncipherment | KU.keyAgreement
    : KU.digitalSignature | KU.keyAgreement;
  if (isLeaf && ku !== undefined && !(ku & needed)) {
    fail("wrong-usage", `${cert.subject}: keyUsage does not allow TLS ${purpose} authentication`);
  }
}

function weaker(hash: string, min: HashName): boolean {
  const rank = HASH_STRENGTH.indexOf(hash as HashName);
  return rank !== -1 && rank < HASH_STRENGTH.indexOf(min);
}

async function checkRevocation(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  crls: readonly Uint8Array[],
  fail: Fail,
): Promise<void> {
  const serial = normaliseSerial(cert.serialNumber);
  // CRLs are rare in a run: their parser loads only when one is configured.
  const { plain, x509 } = await import("./_x509.ts");
  const issuerCert = new x509.X509Certificate(plain(issuer.der));
  for (const [i, der] of crls.entries()) {
    let crl: InstanceType<typeof x509.X509Crl>;
    try {
      crl = new x509.X509Crl(plain(der));
    } catch (e) {
      throw new InputError({ message: `CRL ${i} cannot be parsed: ${(e as Error).message}` });
    }
    if (crl.issuer !== issuerCert.subject) continue;
    let signed = false;
    try {
      signed = await crl.verify({ publicKey: issuerCert.publicKey });
    } catch {
      signed = false;
    }
    if (!signed) {
      fail("bad-signature", `the CRL of ${crl.issuer} does not verify with its issuer's key`);
      continue;
    }
    if (crl.entries.some((e) => normaliseSerial(e.serialNumber) === serial)) {
      fail(
        "revoked",
        `${cert.subject} (serial ${serial.toUpperCase()}) is listed in the CRL of ${crl.issuer}`,
      );
    }
  }
}

function normaliseSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, "");
}
