import type { AssociationOutcome, TlsOutcome } from "../outcome/mod.ts";
import type { RefusedTls } from "../tls/mod.ts";
import type { ConnectionRecord, InboundContext } from "./connection.ts";
import { refusalCause } from "./refusal_cause.ts";
import { round } from "./_timeline.ts";

/**
 * Records a connection whose TLS handshake did not complete, as the wire
 * judged it: the SUT refused our server (its alert, and how far it got), it
 * sent plain DICOM (`not-tls`, its A-ASSOCIATE-RQ's AE titles decoded), it
 * timed out, or our stack refused it, with the ClientHello field that made
 * agreement impossible as `tls.cause` when there is one.
 *
 * @example
 * ```ts
 * import { recordRefused } from "./refused.ts";
 * import type { InboundContext } from "./connection.ts";
 * import type { RefusedTls } from "../tls/mod.ts";
 * declare const refused: RefusedTls;
 * declare const context: InboundContext;
 * recordRefused(refused, context).tls?.status; // "refused-by-peer"
 * ```
 */
export function recordRefused(refused: RefusedTls, ctx: InboundContext): ConnectionRecord {
  const { wire } = refused;
  const tls: TlsOutcome = { ...refused.tls };
  const hello = wire.clientHello;
  if (tls.status === "refused-by-us" && hello) {
    const cause = refusalCause(hello, ctx.offer);
    if (cause) tls.cause = cause;
  }
  const sent = wire.clientCertificates;
  const atMs = round(performance.now() - wire.durationMs - ctx.origin);
  return {
    ok: false,
    stage: "tls",
    atMs,
    durationMs: round(wire.durationMs),
    timeline: [
      { stage: "tcp", startMs: 0, durationMs: 0 },
      { stage: "tls", startMs: 0, durationMs: round(wire.durationMs) },
    ],
    tcp: { status: "connected" },
    tls,
    association: plainRequest(tls),
    pdus: [],
    wire,
    ...(hello ? { clientHello: hello } : {}),
    clientCertificate: sent === undefined ? "unknown" : sent.length ? "presented" : "none",
    peerAddress: refused.peer,
  };
}

// Plain DICOM to our TLS port: the A-ASSOCIATE-RQ's AE titles, decoded from the first bytes.
function plainRequest(tls: TlsOutcome): AssociationOutcome {
  const pdu = tls.firstBytes?.pdu;
  if (pdu?.type !== "A-ASSOCIATE-RQ") return { result: "not-requested" };
  return {
    result: "not-requested",
    ...(pdu.callingAe !== undefined ? { callingAe: pdu.callingAe } : {}),
    ...(pdu.calledAe !== undefined ? { calledAe: pdu.calledAe } : {}),
    error: "the client sent its A-ASSOCIATE-RQ in plain DICOM to our TLS port: not answered",
  };
}
