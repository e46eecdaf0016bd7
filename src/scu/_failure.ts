import type { AssociationOutcome } from "../outcome/mod.ts";
import {
  AssociationAborted,
  AssociationRejected,
  AssociationTimeout,
  PduError,
  ProtocolError,
} from "../ul/mod.ts";

/**
 * Writes why an association ended into its outcome: the A-ASSOCIATE-RJ or
 * A-ABORT as PS3.8 names them, a malformed or unexpected PDU we aborted on,
 * a timeout.
 * Once `established`, a timeout or close keeps the result `accepted`.
 * Shared by both roles: the SCU engine and the inbound recorder.
 *
 * @example
 * ```ts
 * import { describeAssociationFailure } from "./_failure.ts";
 * import type { AssociationOutcome } from "../outcome/mod.ts";
 * const association: AssociationOutcome = { result: "not-requested" };
 * describeAssociationFailure(new Error("socket closed"), association);
 * association.result; // "error"
 * ```
 */
export function describeAssociationFailure(
  e: unknown,
  association: AssociationOutcome,
  options: { established?: boolean } = {},
): void {
  if (e instanceof AssociationRejected) {
    association.result = "rejected";
    association.reject = { result: e.result, source: e.source, reason: e.reason };
  } else if (e instanceof AssociationAborted) {
    association.result = "aborted";
    association.abort = { source: e.source, reason: e.reason, by: e.by };
  } else if (e instanceof PduError || e instanceof ProtocolError) {
    // Our A-ABORT (AA-8) on a PDU of the peer's that is malformed or has no place in the state.
    association.result = "aborted";
    const reason = e instanceof PduError ? e.reason : "unexpected-pdu";
    association.abort = { source: "service-provider", reason, by: "us" };
  } else if (e instanceof AssociationTimeout) {
    if (!options.established) association.result = "timeout";
  } else if (!options.established) {
    association.result = "error";
  }
  association.error = (e as Error).message ?? String(e);
}
