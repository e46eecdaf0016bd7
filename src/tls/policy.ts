import type { Verification } from "../outcome/mod.ts";
import { parseCertificate } from "./_parsed.ts";
import { hostnameProblem } from "./_hostname.ts";
import { parseThumbprints, thumbprintAccepted } from "./thumbprint.ts";
import { thumbprintOf } from "./certificate_info.ts";
import { type HashName, verifyCertificatePath } from "./verify_path.ts";

/**
 * How to verify a peer, in the model of common DICOM SDKs: `none` (any
 * certificate), `chain` (chain of trust to the anchors), `thumbprint` (the
 * leaf's SHA-1 or SHA-256 thumbprint must be in the list). `checkHostname`
 * adds a host name/IP check against the leaf's subjectAltName to any method.
 */
export type VerificationPolicy =
  & (
    | { method: "none" }
    | {
      method: "chain";
      /** Trusted CA certificates, DER. */
      anchors: Uint8Array[];
      crls?: Uint8Array[];
      minRsaBits?: number;
      minHash?: HashName;
    }
    | {
      method: "thumbprint";
      /** A list, or one semicolon-separated string as DICOM SDKs take it. */
      thumbprints: string[] | string;
    }
  )
  & { checkHostname?: boolean };

/** Options of {@linkcode verifyPeer}. */
export interface VerifyPeerOptions {
  /** How to judge the chain. */
  policy: VerificationPolicy;
  /** What the peer sent, DER, leaf first (empty when it sent nothing). */
  chain: readonly Uint8Array[];
  /** The name or address we connected to; used when `policy.checkHostname`. */
  hostname?: string;
  /** The role the peer plays: "server" when we are the client. */
  purpose?: "server" | "client";
  /** Verification time; default now. */
  at?: Date;
}

/**
 * Applies a verification policy to the peer's certificate chain and returns
 * the verdict for the Outcome record. Throws InputError for an invalid
 * thumbprint in the policy.
 *
 * @example
 * ```ts
 * import { verifyPeer } from "./policy.ts";
 * import { peerCertificates } from "./peer_certificates.ts";
 * import type { TLSSocket } from "node:tls";
 * declare const socket: TLSSocket;
 * const v = await verifyPeer({
 *   policy: { method: "thumbprint", thumbprints: "A1B2...;C3D4..." },
 *   chain: peerCertificates(socket),
 * });
 * v.ok; // false with reasons ["thumbprint-not-accepted"] for another certificate
 * ```
 */
export async function verifyPeer(options: VerifyPeerOptions): Promise<Verification> {
  const { policy, chain } = options;
  const hostname = policy.checkHostname ? options.hostname : undefined;
  const base = {
    method: policy.method,
    ...(policy.checkHostname ? { checkedHostname: true } : {}),
  };
  if (policy.method === "chain") {
    const r = await verifyCertificatePath({
      chain,
      anchors: policy.anchors,
      crls: policy.crls,
      minRsaBits: policy.minRsaBits,
      minHash: policy.minHash,
      at: options.at,
      purpose: options.purpose,
      hostname,
    });
    return { ...base, ok: r.ok, reasons: r.reasons, details: r.details };
  }
  const accepted = policy.method === "thumbprint" ? parseThumbprints(policy.thumbprints) : [];
  const leaf = chain[0];
  if (!leaf) {
    if (policy.method === "none" && !hostname) {
      return { ...base, ok: true, reasons: [], details: [] };
    }
    return {
      ...base,
      ok: false,
      reasons: ["no-certificate"],
      details: ["no-certificate: the peer presented no certificate"],
    };
  }
  const v: Verification = { ...base, ok: true, reasons: [], details: [] };
  if (policy.method === "thumbprint" && !thumbprintAccepted(leaf, accepted)) {
    v.reasons.push("thumbprint-not-accepted");
    v.details.push(
      `thumbprint-not-accepted: SHA-1 ${thumbprintOf(leaf, "sha1")} / SHA-256 ${
        thumbprintOf(leaf, "sha256")
      } is not among the ${accepted.length} accepted thumbprint(s)`,
    );
  }
  if (hostname !== undefined) {
    let problem: string | undefined;
    try {
      problem = hostnameProblem(parseCertificate(leaf), hostname);
    } catch (e) {
      v.reasons.push("malformed");
      v.details.push(`malformed: the peer's certificate cannot be parsed: ${(e as Error).message}`);
    }
    if (problem) {
      v.reasons.push("hostname-mismatch");
      v.details.push(`hostname-mismatch: ${problem}`);
    }
  }
  v.ok = v.reasons.length === 0;
  return v;
}
