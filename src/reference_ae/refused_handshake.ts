import type { Verification } from "../outcome/mod.ts";
import { type RefusedTls, type VerificationPolicy, verifyPeer } from "../tls/mod.ts";
import type { AssociationLog } from "./association_log.ts";

/**
 * The log line of a connection whose TLS handshake did not complete, in
 * words that name the truth: our verifier's reasons when our stack refused
 * the client's certificate (from the certificates it sent in the clear,
 * TLS 1.2 and below; in TLS 1.3 they travel encrypted), the client's alert
 * by name, or what a client that does not speak TLS sent (plain DICOM: its
 * A-ASSOCIATE-RQ's AE titles).
 *
 * @example
 * ```ts
 * import { refusedHandshakeLog } from "./refused_handshake.ts";
 * import type { RefusedTls, VerificationPolicy } from "../tls/mod.ts";
 * declare const refused: RefusedTls;
 * declare const policy: VerificationPolicy;
 * console.log((await refusedHandshakeLog(refused, policy)).detail);
 * ```
 */
export async function refusedHandshakeLog(
  refused: RefusedTls,
  policy: VerificationPolicy,
): Promise<AssociationLog> {
  const { tls, wire } = refused;
  const entry: AssociationLog = {
    time: new Date().toISOString(),
    peer: refused.peer,
    tls,
    result: "tls-refused",
    dimse: [],
    detail: tls.error ?? refused.error.message,
    durationMs: Math.round(wire.durationMs),
  };
  const pdu = tls.firstBytes?.pdu;
  if (pdu?.callingAe !== undefined) entry.callingAe = pdu.callingAe;
  if (pdu?.calledAe !== undefined) entry.calledAe = pdu.calledAe;
  if (tls.status !== "refused-by-us") return entry;
  const sent = wire.clientCertificates;
  if (!sent?.length) {
    entry.detail += wire.tls13Encrypted
      ? "; the client's certificate travelled encrypted (TLS 1.3): our verifier's reasons are not known"
      : "; the client sent no certificate";
    return entry;
  }
  const chain = sent.map((b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  const v: Verification = await verifyPeer({ policy, chain, purpose: "client" });
  entry.verification = { method: v.method, ok: v.ok, reasons: v.reasons };
  entry.detail = `our TLS stack refused the client's certificate: ${v.details.join("; ")}`;
  return entry;
}
