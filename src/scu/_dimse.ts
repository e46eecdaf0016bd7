import type { DimseOperation, DimseOutcome } from "../outcome/mod.ts";
import { cEcho, cStore, DimsePeerViolation, type DimseStatus } from "../dimse/mod.ts";
import { type Association, AssociationTimeout, VERIFICATION_SOP_CLASS } from "../ul/mod.ts";
import { round, type StageClock } from "./_clock.ts";
import type { ScuOperation } from "./options.ts";

/** What the DIMSE stage gave; `failure` ended the association (abort, close, timeout). */
export interface DimseStage {
  dimse: DimseOutcome;
  failure?: unknown;
}

/**
 * Runs the operations in order on an accepted association. An operation
 * the negotiated contexts do not allow fails alone (nothing is sent); one
 * that loses the association ends the stage.
 */
export async function dimseStage(
  assoc: Association,
  operations: readonly ScuOperation[],
  clock: StageClock,
): Promise<DimseStage> {
  const done: DimseOperation[] = [];
  let failure: unknown;
  for (const op of operations) {
    const began = performance.now();
    const record = (r: Omit<DimseOperation, "command" | "durationMs">, durationMs?: number) =>
      done.push({
        command: op.command,
        ...r,
        ...(op.command === "C-STORE" ? { sopInstanceUid: op.file.sopInstanceUid } : {}),
        ...(op.command === "C-STORE" && op.name !== undefined ? { file: op.name } : {}),
        durationMs: durationMs ?? round(performance.now() - began),
      });
    try {
      const status = await runOperation(assoc, op, clock.remaining());
      const unasked = unaskedMessage(assoc, op.command);
      if (unasked) {
        await assoc.abort();
        throw new DimsePeerViolation({ operation: op.command, violation: unasked });
      }
      record({
        status: status.code,
        statusName: status.name,
        category: status.category === "success" || status.category === "warning"
          ? status.category
          : "failure",
      });
    } catch (e) {
      if (e instanceof OperationNotSent) {
        // Nothing went on the wire: the association is fine, go on with the rest.
        record({ statusName: e.message, category: "failure" }, 0);
        continue;
      }
      failure = e;
      record({
        // The record names its command: the words of a violation leave it out.
        statusName: e instanceof DimsePeerViolation ? e.words : clock.failureWords(e),
        category: e instanceof AssociationTimeout ? "timeout" : "aborted",
      });
      break;
    }
  }
  const worst = done.find((o) => o.category !== "success") ?? done[done.length - 1];
  clock.mark("dimse");
  return { dimse: { status: worst?.category ?? "success", operations: done }, failure };
}

/**
 * The violation when the peer sent a DIMSE message after its response to
 * our `command` that no request of ours asked for (a second response, a
 * request of its own), as far as one came before we looked: undefined when
 * none. Looked at after each response and once the release is done.
 */
export function unaskedMessage(assoc: Association, command: string): string | undefined {
  if (assoc.unreadPData === 0) return undefined;
  return `it sent another DIMSE message after its ${command}-RSP, which no request of ours asked for`;
}

/** An operation the negotiated contexts do not allow: refused before anything was sent. */
class OperationNotSent extends Error {
  override name = "OperationNotSent";
}

function runOperation(
  assoc: Association,
  op: ScuOperation,
  timeoutMs: number,
): Promise<DimseStatus> {
  if (op.command === "C-ECHO") {
    if (!assoc.acceptedContexts.some((c) => c.abstractSyntax === VERIFICATION_SOP_CLASS)) {
      return Promise.reject(
        new OperationNotSent("not sent: the peer accepted no Verification context"),
      );
    }
    return cEcho(assoc, { timeoutMs });
  }
  const context = assoc.acceptedContexts.find((c) =>
    c.abstractSyntax === op.file.sopClassUid && c.transferSyntax === op.file.transferSyntax
  );
  if (!context) {
    return Promise.reject(
      new OperationNotSent(
        `not sent: the peer accepted no context for SOP class ${op.file.sopClassUid} in ${op.file.transferSyntax}`,
      ),
    );
  }
  return cStore(assoc, {
    contextId: context.id,
    sopClassUid: op.file.sopClassUid,
    sopInstanceUid: op.file.sopInstanceUid,
    dataset: op.file.dataset,
    timeoutMs,
  });
}
