import type { AssociationOutcome, Outcome, Verification } from "../outcome/mod.ts";
import { type AeConfig, decideAssociation } from "../reference_ae/mod.ts";
import { describeAssociationFailure } from "../scu/mod.ts";
import {
  type AcceptedTls,
  certificateInfo,
  classifyTlsError,
  type VerificationPolicy,
  verifyPeer,
} from "../tls/mod.ts";
import {
  type AAssociateRq,
  acceptAssociation,
  type AcceptDecision,
  type Association,
  ConnectionClosed,
  PduTraces,
} from "../ul/mod.ts";
import { describeAssociationRequest } from "./association_request.ts";
import { serveRequests } from "./_requests.ts";
import type { ServerOffer } from "./refusal_cause.ts";
import { remaining, round, Timeline } from "./_timeline.ts";

/** What every connection of one inbound case shares. */
export interface InboundContext {
  /** Our AE as the reference AE's configuration: AE title, accepted callers, storage folder, PDU size. */
  config: AeConfig;
  /** How the SUT's client certificate is judged. */
  policy: VerificationPolicy;
  /** What our listener accepts, to name why a handshake could not agree. */
  offer: ServerOffer;
  /** When the case began (`performance.now()`). */
  origin: number;
  /** When the case must end (`performance.now()`). */
  deadline: number;
}

/** One connection of the SUT, recorded: its part of the inbound Outcome. */
export type ConnectionRecord =
  & Pick<
    Outcome,
    | "ok"
    | "stage"
    | "durationMs"
    | "timeline"
    | "tcp"
    | "tls"
    | "association"
    | "dimse"
    | "pdus"
    | "pdusNotListed"
    | "wire"
    | "clientHello"
    | "clientCertificate"
    | "associationRequest"
    | "peerAddress"
  >
  & {
    /** Milliseconds from the case's start to the connection. */
    atMs: number;
  };

/** A connection being recorded: its record once it closed, and a way to end it now. */
export interface RecordingConnection {
  /** Resolves once the connection closed (never rejects). */
  record: Promise<ConnectionRecord>;
  /** Ends it now: A-ABORT when associated, else a close; `why` goes into the record. */
  stop(why: string): void;
}

/**
 * Records one connection whose TLS handshake completed: the client
 * certificate and our verdict on it (by the case's policy: with `none`
 * any certificate or none passes, otherwise one must pass), the
 * A-ASSOCIATE-RQ decided by the reference AE's policy, every DIMSE request
 * answered by the reference AE's handlers, and the release or abort. A
 * SUT that closes after the handshake without a DICOM word refused us at
 * TLS (its alert when the stack reports one): `refused-by-peer` after
 * `handshake-complete`, as TLS 1.3 and clients that verify late do.
 *
 * @example
 * ```ts
 * import { recordAccepted, type InboundContext } from "./connection.ts";
 * import type { AcceptedTls } from "../tls/mod.ts";
 * declare const accepted: AcceptedTls;
 * declare const context: InboundContext;
 * const { record } = recordAccepted(accepted, context);
 * console.log((await record).association?.result);
 * ```
 */
export function recordAccepted(accepted: AcceptedTls, ctx: InboundContext): RecordingConnection {
  const first = accepted.wire();
  const began = performance.now() - first.durationMs;
  const timeline = new Timeline(began);
  timeline.mark("tcp", 0);
  timeline.mark("tls");
  const rec: ConnectionRecord = {
    ok: false,
    stage: "tls",
    atMs: round(began - ctx.origin),
    durationMs: 0,
    timeline: timeline.stages,
    tcp: { status: "connected" },
    tls: { ...accepted.tls, ...peerOf(accepted.peerChain) },
    pdus: [],
    peerAddress: accepted.peer,
    clientCertificate: accepted.peerChain.length ? "presented" : "none",
    ...(first.clientHello ? { clientHello: first.clientHello } : {}),
  };
  // A SUT that floods requests makes millions of PDUs: the start and the end are kept.
  const pdus = new PduTraces();
  let association: Association | undefined;
  let stopped: string | undefined;
  const stop = (why: string) => {
    stopped ??= why;
    association ? association.abort() : accepted.socket.destroy();
  };
  const record = (async () => {
    try {
      await converse(accepted, ctx, {
        rec,
        timeline,
        pdus,
        onAssociation: (a) => (association = a),
      });
    } catch (e) {
      // Our own bug must not take the run down: the record says what happened.
      rec.association ??= { result: "error" };
      rec.association.error = `internal error: ${(e as Error).message}`;
    } finally {
      accepted.socket.destroy();
      if (stopped && rec.association) rec.association.error ??= stopped;
      rec.durationMs = round(performance.now() - began);
      rec.pdus = pdus.list();
      if (pdus.notListed) rec.pdusNotListed = pdus.notListed;
      rec.wire = accepted.wire();
    }
    return rec;
  })();
  return { record, stop };
}

interface Conversation {
  rec: ConnectionRecord;
  timeline: Timeline;
  pdus: PduTraces;
  onAssociation(association: Association): void;
}

async function converse(accepted: AcceptedTls, ctx: InboundContext, c: Conversation) {
  const { rec, timeline } = c;
  let socketError: Error | undefined;
  accepted.socket.on("error", (e: Error) => socketError ??= e);
  const verification = await judgeClient(accepted.peerChain, ctx.policy);
  rec.tls!.verification = verification;
  if (!verification.ok) {
    rec.tls!.status = "refused-by-us";
    rec.tls!.error = `our verification refused the client certificate: ${
      verification.details.join("; ")
    }`;
    rec.association = { result: "not-requested" };
    return;
  }
  const association: AssociationOutcome = { result: "not-requested" };
  rec.association = association;
  let assoc: Association;
  try {
    assoc = await acceptAssociation({
      socket: accepted.socket,
      maxPduLength: ctx.config.maxPduLength,
      timeoutMs: remaining(ctx),
      // ARTIM after the release, the SUT's close, its reading: nothing waits past the case.
      deadline: ctx.deadline,
      onPdu: (t) => c.pdus.add(t),
      traceOrigin: timeline.origin,
      decide: (rq) => decide(rq, ctx, rec),
    });
  } catch (e) {
    if (!rec.associationRequest && e instanceof ConnectionClosed) {
      refusedAfterHandshake(rec, socketError);
      timeline.extend("tls");
    } else {
      rec.stage = "association";
      describeAssociationFailure(e, association);
      timeline.mark("association");
    }
    return;
  }
  c.onAssociation(assoc);
  rec.stage = "association";
  association.result = "accepted";
  timeline.mark("association");
  await serveRequests(assoc, { rec, ctx, timeline });
  rec.ok = association.released === true &&
    (rec.dimse?.operations ?? []).every((op) => op.category === "success");
}

function decide(rq: AAssociateRq, ctx: InboundContext, rec: ConnectionRecord): AcceptDecision {
  const d = decideAssociation(rq, {
    ae: ctx.config.ae,
    acceptCalling: ctx.config.acceptCalling,
    storage: ctx.config.storage !== undefined,
  });
  rec.associationRequest = describeAssociationRequest(rq, d.accept ? d.presentationContexts : []);
  const a = rec.association!;
  a.callingAe = rq.callingAe.trimEnd();
  a.calledAe = rq.calledAe.trimEnd();
  a.peerMaxPduLength = rq.userInformation.maxPduLength;
  a.peerImplementationClassUid = rq.userInformation.implementationClassUid;
  a.peerImplementationVersionName = rq.userInformation.implementationVersionName;
  if (!d.accept) return { accept: false, ...d.reject };
  a.presentationContexts = rec.associationRequest.presentationContexts.map((pc) => ({
    id: pc.id,
    abstractSyntax: pc.abstractSyntax,
    ...(pc.transferSyntax ? { transferSyntax: pc.transferSyntax } : {}),
    result: pc.result ?? "no-reason",
  }));
  return d;
}

// The handshake completed and the SUT closed before any DICOM word: it refused us at TLS.
function refusedAfterHandshake(rec: ConnectionRecord, socketError: Error | undefined) {
  const c = socketError ? classifyTlsError(socketError) : undefined;
  const tls = rec.tls!;
  tls.status = "refused-by-peer";
  tls.after = "handshake-complete";
  if (c?.alert) tls.alert = c.alert;
  else tls.closedWithoutAlert = true;
  tls.error = c?.alert
    ? c.message
    : `the client closed the connection after the TLS handshake without a DICOM word${
      c ? ` (${c.message})` : ""
    }`;
}

/**
 * Our verdict on the SUT's client certificate: with `none` any certificate,
 * or none, passes; any other method needs one that passes it.
 *
 * @example
 * ```ts
 * import { judgeClient } from "./connection.ts";
 * const v = await judgeClient([], { method: "none" });
 * v.ok; // true
 * ```
 */
export function judgeClient(
  chain: Uint8Array[],
  policy: VerificationPolicy,
): Promise<Verification> {
  if (chain.length) return verifyPeer({ policy, chain, purpose: "client" });
  const none = policy.method === "none";
  return Promise.resolve({
    method: policy.method,
    ok: none,
    reasons: none ? [] : ["no-certificate"],
    details: none ? [] : [`no-certificate: verification by ${policy.method} needs a certificate`],
  });
}

function peerOf(chain: Uint8Array[]) {
  try {
    const infos = chain.map((der) => certificateInfo(der));
    return infos.length ? { peer: { ...infos[0], chain: infos } } : {};
  } catch {
    return {}; // malformed: our verifier says so
  }
}
