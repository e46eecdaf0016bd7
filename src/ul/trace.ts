import type { PduTrace } from "../outcome/mod.ts";
import type { Pdu, PresentationContextRq } from "./pdu.ts";

/**
 * PDVs of one P-DATA-TF listed in its trace; the rest are counted
 * (`pdvsNotListed`). A peer may pack thousands of tiny PDVs into each
 * P-DATA-TF, and a trace is kept for every PDU of a conversation.
 */
export const MAX_TRACED_PDVS = 16;

/**
 * The fields of a PDU worth showing in a report's exchange view: AE titles,
 * presentation contexts, maximum length, implementation, reasons, PDV sizes
 * (the first {@linkcode MAX_TRACED_PDVS} of a P-DATA-TF).
 * Plain, JSON-serialisable data (no byte arrays).
 *
 * @example
 * ```ts
 * import { pduFields } from "./trace.ts";
 * pduFields({ type: "A-ABORT", source: "service-user", reason: "reason-not-specified" });
 * // { source: "service-user", reason: "reason-not-specified" }
 * ```
 */
export function pduFields(pdu: Pdu): PduTrace["fields"] {
  switch (pdu.type) {
    case "A-ASSOCIATE-RQ":
    case "A-ASSOCIATE-AC": {
      const u = pdu.userInformation;
      return {
        calledAe: pdu.calledAe,
        callingAe: pdu.callingAe,
        // Reserved bytes are for byte-exact re-encoding, not for people.
        presentationContexts: pdu.presentationContexts.map((pc) => {
          const { reserved: _, ...shown } = pc as PresentationContextRq;
          return shown;
        }),
        maxPduLength: u.maxPduLength,
        implementationClassUid: u.implementationClassUid,
        implementationVersionName: u.implementationVersionName,
        ...(u.userIdentity ? { userIdentityType: u.userIdentity.identityType } : {}),
        ...(u.roleSelections ? { roleSelections: u.roleSelections.map((r) => ({ ...r })) } : {}),
      };
    }
    case "A-ASSOCIATE-RJ":
      return { result: pdu.result, source: pdu.source, reason: pdu.reason };
    case "A-ABORT":
      return { source: pdu.source, reason: pdu.reason };
    case "P-DATA-TF":
      return {
        pdvs: pdu.pdvs.slice(0, MAX_TRACED_PDVS).map((p) => ({
          contextId: p.contextId,
          kind: p.isCommand ? "command" : "dataset",
          last: p.isLast,
          length: p.data.length,
        })),
        ...(pdu.pdvs.length > MAX_TRACED_PDVS
          ? { pdvsNotListed: pdu.pdvs.length - MAX_TRACED_PDVS }
          : {}),
      };
    default:
      return {};
  }
}
