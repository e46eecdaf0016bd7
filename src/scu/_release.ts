import type { Duplex } from "node:stream";
import type { AssociationOutcome } from "../outcome/mod.ts";
import { type Association, AssociationTimeout } from "../ul/mod.ts";
import { ourAbort } from "./_abort.ts";
import type { StageClock } from "./_clock.ts";
import { describeAssociationFailure } from "./_failure.ts";

/** A-RELEASE-RQ and its A-RELEASE-RP; records whether it completed, and our A-ABORT when it never did. */
export async function releaseStage(
  assoc: Association,
  options: { association: AssociationOutcome; socket: Duplex; clock: StageClock },
): Promise<void> {
  const { association, clock } = options;
  try {
    await assoc.release({ timeoutMs: clock.remaining() });
    association.released = true;
  } catch (e) {
    association.released = false;
    // The peer's A-ABORT, or ours on a PDU of its that has no place, is recorded as in the
    // DIMSE stage: the result becomes `aborted`, with who sent it.
    describeAssociationFailure(e, association, { established: true });
    association.error = `A-RELEASE failed: ${clock.failureWords(e)}`;
    // On a timeout the release gave up with our A-ABORT (AA-1 in Sta7).
    if (e instanceof AssociationTimeout) ourAbort(association);
    options.socket.destroy();
  }
  clock.mark("release");
}
