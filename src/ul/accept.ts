import { Engine } from "./_engine.ts";
import { Association, DEFAULT_TIMEOUT_MS } from "./association.ts";
import { AssociationRejected } from "./errors.ts";
import type { AAssociateRq, PresentationContextAc, UserInformation } from "./pdu.ts";
import type { RejectReason, RejectResult, RejectSource } from "./reasons.ts";
import {
  type AssociationOptions,
  DEFAULT_ARTIM_MS,
  DEFAULT_MAX_PDU_LENGTH,
  receiveLimit,
} from "./request.ts";
import {
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
  IMPLICIT_VR_LITTLE_ENDIAN,
  VERIFICATION_SOP_CLASS,
} from "./uids.ts";

/** What the acceptor's user answers to an A-ASSOCIATE-RQ (the A-ASSOCIATE response primitive). */
export type AcceptDecision =
  | {
    accept: true;
    presentationContexts: PresentationContextAc[];
    /** Further user information for the AC (role selection, user identity response, ...). */
    userInformation?: Partial<UserInformation>;
  }
  | { accept: false; result: RejectResult; source: RejectSource; reason: RejectReason };

/** Options of {@linkcode acceptAssociation}. */
export interface AcceptOptions extends AssociationOptions {
  /** Accept or reject the request; default: accept Verification in implicit or explicit VR little endian. */
  decide?: (rq: AAssociateRq) => AcceptDecision | Promise<AcceptDecision>;
}

/**
 * The presentation context answers for an A-ASSOCIATE-RQ: each context whose
 * abstract syntax we support is accepted with the first transfer syntax we
 * support in OUR order of preference; others get abstract-syntax-not-supported
 * or transfer-syntaxes-not-supported.
 *
 * @example
 * ```ts
 * import { acceptContexts } from "./accept.ts";
 * import type { AAssociateRq } from "./pdu.ts";
 * import {
 *   EXPLICIT_VR_LITTLE_ENDIAN,
 *   IMPLICIT_VR_LITTLE_ENDIAN,
 *   VERIFICATION_SOP_CLASS,
 * } from "./uids.ts";
 * declare const rq: AAssociateRq;
 * const contexts = acceptContexts(rq, {
 *   abstractSyntaxes: [VERIFICATION_SOP_CLASS],
 *   transferSyntaxes: [EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN],
 * });
 * ```
 */
export function acceptContexts(
  rq: AAssociateRq,
  supported: { abstractSyntaxes: string[]; transferSyntaxes: string[] },
): PresentationContextAc[] {
  return rq.presentationContexts.map((pc) => {
    if (!supported.abstractSyntaxes.includes(pc.abstractSyntax)) {
      return {
        id: pc.id,
        result: "abstract-syntax-not-supported",
        transferSyntax: pc.transferSyntaxes[0],
      };
    }
    const ts = supported.transferSyntaxes.find((t) => pc.transferSyntaxes.includes(t));
    return ts ? { id: pc.id, result: "acceptance", transferSyntax: ts } : {
      id: pc.id,
      result: "transfer-syntaxes-not-supported",
      transferSyntax: pc.transferSyntaxes[0],
    };
  });
}

const verificationOnly = (rq: AAssociateRq): AcceptDecision => ({
  accept: true,
  presentationContexts: acceptContexts(rq, {
    abstractSyntaxes: [VERIFICATION_SOP_CLASS],
    transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN],
  }),
});

/**
 * PS3.8 A-ASSOCIATE as the association acceptor, on a transport connection
 * that just opened: waits (ARTIM, `timeoutMs`) for the A-ASSOCIATE-RQ, asks
 * `decide`, and answers with A-ASSOCIATE-AC (resolving to the Association)
 * or A-ASSOCIATE-RJ (rejecting with AssociationRejected once the peer closed).
 * Also rejects with PduError, ProtocolError, AssociationAborted,
 * AssociationTimeout or ConnectionClosed.
 *
 * @example
 * ```ts
 * import { acceptAssociation, acceptContexts } from "./accept.ts";
 * import { IMPLICIT_VR_LITTLE_ENDIAN, VERIFICATION_SOP_CLASS } from "./uids.ts";
 * import net from "node:net";
 * const verification = {
 *   abstractSyntaxes: [VERIFICATION_SOP_CLASS],
 *   transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
 * };
 * net.createServer({ noDelay: true }, async (socket) => {
 *   const association = await acceptAssociation({
 *     socket,
 *     decide: (rq) =>
 *       rq.calledAe.trim() === "DICOMTLS"
 *         ? { accept: true, presentationContexts: acceptContexts(rq, verification) }
 *         : {
 *           accept: false,
 *           result: "rejected-permanent",
 *           source: "service-user",
 *           reason: "called-ae-title-not-recognized",
 *         },
 *   });
 *   // DIMSE goes on top: src/dimse/'s serveEcho(association) answers C-ECHO until release.
 *   console.log(association.acceptedContexts);
 * }).listen(11112, "127.0.0.1");
 * ```
 */
export async function acceptAssociation(options: AcceptOptions): Promise<Association> {
  const maxPduLength = options.maxPduLength ?? DEFAULT_MAX_PDU_LENGTH;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const engine = new Engine({
    role: "acceptor",
    socket: options.socket,
    maxReceiveLength: receiveLimit(maxPduLength),
    // ARTIM bounds the wait for the A-ASSOCIATE-RQ (PS3.8 9.1.5).
    artimMs: timeoutMs,
    deadline: options.deadline,
    onPdu: options.onPdu,
    traceOrigin: options.traceOrigin ?? performance.now(),
  });
  try {
    engine.listen();
    const indication = await engine.next({
      timeoutMs: timeoutMs + 1000,
      waitingFor: "A-ASSOCIATE-RQ",
    });
    if (indication.kind !== "A-ASSOCIATE-RQ") {
      throw new Error(`Unexpected ${indication.kind} in Sta3`);
    }
    const rq = indication.pdu;
    const decision = await (options.decide ?? verificationOnly)(rq);
    if (!decision.accept) {
      const { result, source, reason } = decision;
      engine.reject({ type: "A-ASSOCIATE-RJ", result, source, reason });
      // The requestor closes on A-ASSOCIATE-RJ (AE-4); ARTIM bounds the wait.
      await engine.closed;
      throw new AssociationRejected(decision);
    }
    engine.accept({
      type: "A-ASSOCIATE-AC",
      protocolVersion: 1,
      calledAe: rq.calledAe,
      callingAe: rq.callingAe,
      applicationContext: rq.applicationContext,
      presentationContexts: decision.presentationContexts,
      userInformation: {
        maxPduLength,
        implementationClassUid: options.implementationClassUid ?? IMPLEMENTATION_CLASS_UID,
        implementationVersionName: options.implementationVersionName ?? IMPLEMENTATION_VERSION_NAME,
        ...decision.userInformation,
      },
    });
    // After association, ARTIM only bounds waiting for the peer's close.
    engine.artimMs = options.artimMs ?? DEFAULT_ARTIM_MS;
    return new Association(engine);
  } catch (e) {
    await engine.giveUp();
    throw e;
  }
}
