import type { Duplex } from "node:stream";
import type { AssociationOutcome } from "../outcome/mod.ts";
import type { Association } from "../ul/mod.ts";

/**
 * Gives up on an established association, as DCMTK's echoscu and storescu
 * do (ASC_abortAssociation): our A-ABORT (PS3.8 7.3, AA-1; source
 * service-user, whose reason PS3.8 9.3.8 calls not significant: sent as 0),
 * so that the peer learns that we aborted instead of seeing the connection
 * reset, then the close. The wait for it is PS3.8's ARTIM cut to the
 * deadline (1 ms once it passed) and our close's own fallback: a peer that
 * no longer reads cannot make us wait for the A-ABORT to go out. An
 * association the peer already ended (Sta1, Sta13) is only closed.
 *
 * @example
 * ```ts
 * import { abortStage } from "./_abort.ts";
 * import type { Association } from "../ul/mod.ts";
 * import type { AssociationOutcome } from "../outcome/mod.ts";
 * import type { Duplex } from "node:stream";
 * declare const assoc: Association;
 * declare const socket: Duplex;
 * const association: AssociationOutcome = { result: "accepted" };
 * await abortStage(assoc, { association, socket });
 * association.abort?.by; // "us" when it was still established
 * ```
 */
export async function abortStage(
  assoc: Association,
  options: { association: AssociationOutcome; socket: Duplex },
): Promise<void> {
  const { association, socket } = options;
  if (assoc.state !== "Sta1" && assoc.state !== "Sta13") {
    // What we sent before has not been taken: the A-ABORT queues behind it.
    const backedUp = socket.writableNeedDrain;
    await assoc.abort();
    ourAbort(association, backedUp);
  }
  socket.destroy();
}

/**
 * Records the A-ABORT we sent on giving up (in the DIMSE stage, when the
 * A-RELEASE-RP never came, or as the inbound SCP when the SUT neither
 * requested nor released): the result stays what it was (a timeout stays a
 * timeout), the abort says it was ours.
 *
 * @example
 * ```ts
 * import { ourAbort } from "./_abort.ts";
 * import type { AssociationOutcome } from "../outcome/mod.ts";
 * const association: AssociationOutcome = { result: "accepted", error: "Timed out" };
 * ourAbort(association);
 * association.error; // "Timed out; we sent an A-ABORT and closed"
 * ```
 */
export function ourAbort(association: AssociationOutcome, backedUp = false): void {
  association.abort = { source: "service-user", reason: "reason-not-specified", by: "us" };
  const words = backedUp
    ? "we sent an A-ABORT and closed, but the peer was not reading: it may never have seen it"
    : "we sent an A-ABORT and closed";
  association.error = association.error ? `${association.error}; ${words}` : words;
}
