import type { CertificateInfo } from "../outcome/mod.ts";
import type { PeerCapabilities } from "./capabilities.ts";
import type { _Found } from "./_rules.ts";

/** The checks one certificate answers, each giving a finding or nothing. */
export interface _CertificateCheck {
  keyTooSmall(rsaBits: number, ecBits: number, required: string): string | undefined;
  weakHash(hashes: string[], forbidden: string): string | undefined;
}

/**
 * Runs a check on each certificate the server sent, except a self-signed
 * root (its signature is not checked by anyone, its key is the anchor's).
 * A ClientHello carries no certificate; a server probed only in TLS 1.3
 * showed none (the Certificate message is encrypted).
 */
export function _certificateChecks(
  peer: PeerCapabilities,
  check: (c: _CertificateCheck) => string | undefined,
): _Found {
  if (peer.role === "client") {
    return { status: "not-applicable", findings: ["a ClientHello carries no certificate"] };
  }
  if (!peer.certificates || peer.certificates.length === 0) {
    return { status: "unknown", findings: ["no certificate chain was read"] };
  }
  const findings = peer.certificates.filter((c) => c.subject !== c.issuer)
    .map((c) => check(_checks(c))).filter((f) => f !== undefined);
  return findings.length > 0 ? { status: "fail", findings } : { status: "pass", findings: [] };
}

function _checks(c: CertificateInfo): _CertificateCheck {
  const who = `certificate "${c.subject}"`;
  return {
    keyTooSmall(rsaBits, ecBits, required) {
      const bits = _keyBits(c.key);
      if (bits === undefined) return undefined;
      const min = bits.kind === "RSA" ? rsaBits : ecBits;
      return bits.bits < min
        ? `${who} has a ${bits.bits}-bit ${bits.kind} key (at least ${min} bits ${required})`
        : undefined;
    },
    weakHash(hashes, forbidden) {
      const alg = c.signatureAlgorithm.toLowerCase().replace(/-/g, "");
      const weak = hashes.find((h) => alg.includes(h)); // "sha1WithRSAEncryption", "ecdsa-with-SHA1"
      return weak ? `${who} is signed with ${c.signatureAlgorithm} (${forbidden})` : undefined;
    },
  };
}

/** "RSA 2048" -> 2048 RSA; "EC P-256" -> 256 EC; "Ed25519" -> 256 EC. */
function _keyBits(key: string): { kind: "RSA" | "EC"; bits: number } | undefined {
  const rsa = /^RSA(?:-PSS)? (\d+)/.exec(key);
  if (rsa) return { kind: "RSA", bits: Number(rsa[1]) };
  if (key === "Ed25519") return { kind: "EC", bits: 256 };
  if (key === "Ed448") return { kind: "EC", bits: 448 };
  const ec = /^EC \D*(\d+)/.exec(key);
  return ec ? { kind: "EC", bits: Number(ec[1]) } : undefined;
}
