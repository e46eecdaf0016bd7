import type { VerificationReason } from "../outcome/reasons.ts";
import type { Hash, KeyType } from "./keys.ts";
import type { Usage } from "./manifest.ts";

/** What {@linkcode expectedVerdict} needs to know about one certificate of a path. */
export interface VerdictInput {
  /** The certificate's name in the spec. */
  name: string;
  /** Issuer's name; `self` for self-signed. */
  issuer: string;
  /** Whether it is a self-signed authority of the standard trust. */
  trusted: boolean;
  /** Start of the validity period. */
  notBefore: Date;
  /** End of the validity period. */
  notAfter: Date;
  /** The key type, e.g. "rsa-1024" (weak under the minimum policy). */
  key: KeyType;
  /** The signature hash, e.g. "sha1" (weak under the minimum policy). */
  hash: Hash;
  /** The extended key usage it was given. */
  usage: Usage;
  /** The TLS role the verdict is for; the usage must allow it. */
  role?: "client" | "server";
  /** Whether its issuer's CRL lists it. */
  revoked: boolean;
  /** A deliberately broken part: "signature" means altered signature bytes. */
  corrupt?: "signature";
  /** Whether its key file holds a key that does not match the certificate. */
  keyMismatch: boolean;
}

/** RSA keys below this many bits are `weak-key` under the minimum policy. */
export const MIN_RSA_BITS = 2048;

/**
 * The verdict a correct verifier reaches for `name` at `now`: the standard
 * trust is the trusted roots of the spec, every issuer's CRL is checked, the
 * usage is checked for the entry's role, and the policy requires RSA keys of
 * at least {@linkcode MIN_RSA_BITS} bits and a hash better than SHA-1. When a
 * certificate has several faults, the first in this order wins: untrusted
 * path (self-signed, unknown-issuer), bad-signature, expired, not-yet-valid,
 * revoked, wrong-usage, weak-key, weak-hash, key-mismatch.
 *
 * @example
 * ```ts
 * import { expectedVerdict, type VerdictInput } from "./expected.ts";
 * declare const byName: Map<string, VerdictInput>;
 * expectedVerdict("client", byName, new Date()); // "valid" or e.g. "expired"
 * ```
 */
export function expectedVerdict(
  name: string,
  byName: ReadonlyMap<string, VerdictInput>,
  now: Date,
): "valid" | VerificationReason {
  const path = [byName.get(name)!];
  while (path[path.length - 1].issuer !== "self") {
    path.push(byName.get(path[path.length - 1].issuer)!);
  }
  const anchor = path[path.length - 1];
  if (!anchor.trusted) return path.length === 1 ? "self-signed" : "unknown-issuer";
  // The trust anchor's own signature, revocation and hash are not checked (RFC 5280 6.1).
  const issued = path.slice(0, -1);
  const leaf = path[0];
  if (issued.some((c) => c.corrupt)) return "bad-signature";
  if (path.some((c) => now > c.notAfter)) return "expired";
  if (path.some((c) => now < c.notBefore)) return "not-yet-valid";
  if (issued.some((c) => c.revoked)) return "revoked";
  if (leaf.role && !permits(leaf.usage, leaf.role)) return "wrong-usage";
  if (path.some((c) => c.key.startsWith("rsa-") && Number(c.key.slice(4)) < MIN_RSA_BITS)) {
    return "weak-key";
  }
  if (issued.some((c) => c.hash === "sha1")) return "weak-hash";
  if (leaf.keyMismatch) return "key-mismatch";
  return "valid";
}

function permits(usage: Usage, role: "client" | "server"): boolean {
  return usage === "none" || usage === "both" || usage === role;
}
