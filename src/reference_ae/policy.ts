import type { AAssociateRq, PresentationContextAc } from "../ul/pdu.ts";
import { DICOM_APPLICATION_CONTEXT } from "../ul/uids.ts";
import type { RejectReason, RejectResult, RejectSource } from "../ul/reasons.ts";
import { VERIFICATION_SOP_CLASS } from "../ul/uids.ts";
import {
  STORAGE_SOP_CLASSES,
  STORAGE_TRANSFER_SYNTAXES,
  VERIFICATION_TRANSFER_SYNTAXES,
} from "./sop_classes.ts";

/** What the AE accepts: its own AE title, its callers, and whether it stores. */
export interface AePolicy {
  /** Own (called) AE title. */
  ae: string;
  /** Accepted calling AE titles; empty accepts any. */
  acceptCalling: readonly string[];
  /** Whether Storage SOP classes are offered (the AE has a storage folder). */
  storage: boolean;
}

/** A reject as PS3.8 Table 9-21 names it. */
export interface RejectDecision {
  /** Permanent or transient. */
  result: RejectResult;
  /** The service user, or a service provider. */
  source: RejectSource;
  /** Why, e.g. "called-ae-title-not-recognized". */
  reason: RejectReason;
}

/** The AE's answer to an A-ASSOCIATE-RQ: accept with these contexts, or reject. */
export type AssociationDecision =
  | { accept: true; presentationContexts: PresentationContextAc[] }
  | { accept: false; reject: RejectDecision };

/** A-ASSOCIATE-RJ for too many simultaneous associations (PS3.8 Table 9-21, source 3 reason 2). */
export const LOCAL_LIMIT_EXCEEDED: RejectDecision = {
  result: "rejected-transient",
  source: "service-provider-presentation",
  reason: "local-limit-exceeded",
};

/**
 * Decides an A-ASSOCIATE-RQ by the AE policy (PS3.8 7.1.1): an unsupported
 * application context, an unknown called or calling AE title is rejected
 * permanently by the service user with the PS3.8 reason; otherwise each
 * presentation context is accepted with the first transfer syntax of ours the
 * requester proposes, or refused with the reason (abstract syntax or
 * transfer syntaxes not supported). AE titles compare without their padding
 * spaces, case-sensitively.
 *
 * @example
 * ```ts
 * import { decideAssociation } from "./policy.ts";
 * import type { AAssociateRq } from "../ul/mod.ts";
 * declare const rq: AAssociateRq;
 * const d = decideAssociation(rq, { ae: "REFAE", acceptCalling: ["MODALITY"], storage: true });
 * if (!d.accept) console.log(d.reject.reason); // "calling-ae-title-not-recognized"
 * ```
 */
export function decideAssociation(rq: AAssociateRq, policy: AePolicy): AssociationDecision {
  const reject = (reason: RejectReason): AssociationDecision => ({
    accept: false,
    reject: { result: "rejected-permanent", source: "service-user", reason },
  });
  if (rq.applicationContext.trim() !== DICOM_APPLICATION_CONTEXT) {
    return reject("application-context-name-not-supported");
  }
  if (rq.calledAe.trim() !== policy.ae.trim()) return reject("called-ae-title-not-recognized");
  const calling = rq.callingAe.trim();
  if (policy.acceptCalling.length && !policy.acceptCalling.some((a) => a.trim() === calling)) {
    return reject("calling-ae-title-not-recognized");
  }
  return {
    accept: true,
    presentationContexts: rq.presentationContexts.map((pc): PresentationContextAc => {
      const ours = supportedTransferSyntaxes(pc.abstractSyntax, policy);
      if (!ours) return { id: pc.id, result: "abstract-syntax-not-supported" };
      const chosen = ours.find((ts) => pc.transferSyntaxes.some((t) => t.trim() === ts));
      return chosen
        ? { id: pc.id, result: "acceptance", transferSyntax: chosen }
        : { id: pc.id, result: "transfer-syntaxes-not-supported" };
    }),
  };
}

function supportedTransferSyntaxes(
  abstractSyntax: string,
  policy: AePolicy,
): readonly string[] | undefined {
  const uid = abstractSyntax.trim();
  if (uid === VERIFICATION_SOP_CLASS) return VERIFICATION_TRANSFER_SYNTAXES;
  if (policy.storage && STORAGE_SOP_CLASSES.includes(uid)) return STORAGE_TRANSFER_SYNTAXES;
  return undefined;
}
