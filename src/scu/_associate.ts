import type { Duplex } from "node:stream";
import type { AssociationOutcome, PduTrace, TlsOutcome } from "../outcome/mod.ts";
import { classifyTlsError } from "../tls/mod.ts";
import {
  type Association,
  AssociationTimeout,
  ConnectionClosed,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  type PduTraces,
  requestAssociation,
  VERIFICATION_SOP_CLASS,
} from "../ul/mod.ts";
import { ourAbort } from "./_abort.ts";
import type { StageClock } from "./_clock.ts";

import { describeAssociationFailure } from "./_failure.ts";
import type { ScuOperation, ScuOptions } from "./options.ts";

/** What the association stage gave: the association when accepted. */
export interface AssociateStage {
  association: AssociationOutcome;
  assoc?: Association;
  /** The peer refused at the TLS layer after our handshake (TLS 1.3): `tls` was updated. */
  lateTlsRefusal?: boolean;
}

/**
 * A-ASSOCIATE-RQ with a context per operation (Verification always), and
 * the A-ASSOCIATE-AC, -RJ, A-ABORT or close that answers it. A TLS 1.3
 * refusal of our certificate surfaces here and is written into `tls`.
 */
export async function associateStage(
  socket: Duplex,
  options: ScuOptions & { tls?: TlsOutcome; pdus: PduTraces; clock: StageClock },
): Promise<AssociateStage> {
  // Keep the first socket error: a TLS 1.3 alert arrives here, after our handshake.
  let socketError: Error | undefined;
  socket.on("error", (e: Error) => socketError ??= e);
  const association: AssociationOutcome = {
    result: "not-requested",
    callingAe: options.callingAe,
    calledAe: options.calledAe,
  };
  try {
    const assoc = await requestAssociation({
      socket,
      callingAe: options.callingAe,
      calledAe: options.calledAe,
      presentationContexts: proposedContexts(options.operations ?? [{ command: "C-ECHO" }]),
      maxPduLength: options.maxPduLength,
      timeoutMs: options.clock.remaining(),
      // ARTIM, the peer's close and its reading of what we send end by the deadline too.
      deadline: options.clock.deadline,
      onPdu: (t) => options.pdus.add(t),
      traceOrigin: options.clock.origin,
    });
    describeAcceptance(assoc, association);
    options.clock.mark("association");
    return { association, assoc };
  } catch (e) {
    const late = options.tls !== undefined &&
      lateTlsRefusal(e, options.pdus.first, socketError, options.tls);
    socket.destroy();
    if (late) {
      // The refusal ends the TLS stage: it lasted until the alert or close came.
      options.clock.extend("tls");
      return { association, lateTlsRefusal: true };
    }
    describeAssociationFailure(e, association);
    association.error = options.clock.failureWords(e);
    // On a timeout the requestor gave up with an A-ABORT (AA-1 in Sta5) if it could still send one.
    if (e instanceof AssociationTimeout && sentAbort(options.pdus.first)) ourAbort(association);
    options.clock.mark("association");
    return { association };
  }
}

function describeAcceptance(assoc: Association, association: AssociationOutcome): void {
  association.result = "accepted";
  association.peerMaxPduLength = assoc.peerMaxPduLength;
  association.peerImplementationClassUid = assoc.ac.userInformation.implementationClassUid;
  association.peerImplementationVersionName = assoc.ac.userInformation.implementationVersionName;
  association.presentationContexts = assoc.ac.presentationContexts.map((pc) => ({
    id: pc.id,
    abstractSyntax: assoc.rq.presentationContexts.find((r) => r.id === pc.id)?.abstractSyntax ??
      "",
    ...(pc.transferSyntax ? { transferSyntax: pc.transferSyntax } : {}),
    result: pc.result,
  }));
}

// One context per SOP class and transfer syntax we will send in; Verification always,
// so that every association can also echo.
function proposedContexts(operations: ScuOperation[]) {
  const contexts = [{
    abstractSyntax: VERIFICATION_SOP_CLASS,
    transferSyntaxes: [EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN],
  }];
  const seen = new Set<string>();
  for (const op of operations) {
    if (op.command !== "C-STORE") continue;
    const key = `${op.file.sopClassUid}|${op.file.transferSyntax}`;
    if (seen.has(key)) continue;
    seen.add(key);
    contexts.push({
      abstractSyntax: op.file.sopClassUid,
      transferSyntaxes: [op.file.transferSyntax],
    });
  }
  return contexts;
}

const sentAbort = (pdus: PduTrace[]) =>
  pdus.some((p) => p.direction === "sent" && p.type === "A-ABORT");

// A refusal at the TLS layer that shows only after our handshake (TLS 1.3):
// an alert on the first read, or a close before the peer said any DICOM word.
function lateTlsRefusal(
  e: unknown,
  pdus: PduTrace[],
  socketError: Error | undefined,
  tls: TlsOutcome,
): boolean {
  if (!(e instanceof ConnectionClosed)) return false;
  const c = socketError ? classifyTlsError(socketError) : undefined;
  if (c?.alert) {
    tls.status = "refused-by-peer";
    tls.after = "handshake-complete";
    tls.alert = c.alert;
    tls.error = c.message;
    return true;
  }
  if (pdus.some((p) => p.direction === "received")) return false;
  tls.status = "refused-by-peer";
  tls.after = "handshake-complete";
  tls.closedWithoutAlert = true;
  tls.error = `the peer closed the connection after the TLS handshake without a TLS alert or ` +
    `a DICOM answer${c ? ` (${c.message})` : ""}`;
  return true;
}
