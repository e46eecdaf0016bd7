import type { AssociationOutcome, DimseOperation, DimseRequestInfo } from "../outcome/mod.ts";
import {
  commandName,
  describeStatus,
  DimseError,
  type DimseMessage,
  statusCategory,
} from "../dimse/mod.ts";
import { serveRequest } from "../reference_ae/mod.ts";
import { describeAssociationFailure, ourAbort } from "../scu/mod.ts";
import { type Association, AssociationTimeout } from "../ul/mod.ts";
import type { ConnectionRecord, InboundContext } from "./connection.ts";
import { remaining, round, type Timeline } from "./_timeline.ts";

/** Requests of one association listed in full; past them only the first failure and the last. */
export const MAX_LISTED_REQUESTS = 1_000;

interface Serving {
  rec: ConnectionRecord;
  ctx: InboundContext;
  timeline: Timeline;
}

/**
 * Answers the SUT's DIMSE requests with the reference AE's handlers until
 * it releases (or aborts, or the case's time is up), recording each request
 * and our answer; a request we have no handler for is answered with an
 * A-ABORT, as the reference AE does. A request whose data set never came
 * whole (the SUT aborted, or stopped sending until our timeout) is listed
 * too, as `aborted` or `timeout`: it got no Success. A message that broke
 * PS3.8 (a PDV on a context it never proposed) is answered with our A-ABORT.
 */
export async function serveRequests(association: Association, s: Serving): Promise<void> {
  const { rec, ctx, timeline } = s;
  const listed = new ListedRequests();
  const { requests, operations } = listed;
  rec.dimse = { status: "success", operations, requests };
  const outcome = rec.association!;
  const sinceOrigin = (at = performance.now()) => round(at - timeline.origin);
  // The command set of a request whose data set is still coming.
  let inFlight: { message: DimseMessage; atMs: number } | undefined;
  try {
    for (;;) {
      const served = await serveRequest(association, {
        config: ctx.config,
        timeoutMs: remaining(ctx),
        onCommand: (message) => inFlight = { message, atMs: sinceOrigin() },
      });
      inFlight = undefined;
      if (served === null) break;
      const { message } = served;
      rec.stage = "dimse";
      const request = describeRequest(message, sinceOrigin(served.receivedAt));
      if ("unsupported" in served) {
        listed.add(request);
        request.answer = { aborted: true };
        recordOurAbort(outcome);
        outcome.error = `no handler for ${request.command}-RQ: aborted by us`;
        await association.abort();
        return;
      }
      const { line } = served;
      const status = parseInt(line.status, 16);
      const described = describeStatus(status);
      request.answer = { status, statusName: described.name };
      listed.add(request, {
        command: line.command as DimseOperation["command"],
        status,
        statusName: described.name,
        category: categoryOf(status),
        ...(request.sopInstanceUid ? { sopInstanceUid: request.sopInstanceUid } : {}),
        durationMs: round(served.answerMs),
      });
    }
    if (listed.count) timeline.mark("dimse");
    rec.stage = "release";
    await association.release({ timeoutMs: remaining(ctx) });
    outcome.released = true;
    timeline.mark("release");
  } catch (e) {
    describeAssociationFailure(e, outcome, { established: true });
    // The DIMSE layer sent our A-ABORT on the SUT's violation: the abort is ours, not the SUT's.
    if (e instanceof DimseError) recordOurAbort(outcome);
    // Giving up on a SUT that neither requests nor releases (or stopped sending a data set), we
    // tell it with an A-ABORT (PS3.8 AA-1), as our SCU does: the result stays `accepted`.
    const up = association.state !== "Sta1" && association.state !== "Sta13";
    if (e instanceof AssociationTimeout && up) {
      await association.abort();
      ourAbort(outcome);
    }
    if (inFlight) listed.add(...cutShort(inFlight, e, sinceOrigin()));
    if (outcome.result === "accepted" && !outcome.released) outcome.released = false;
    timeline.mark(rec.stage);
  } finally {
    listed.end();
    const worst = operations.find((op) => op.category !== "success");
    rec.dimse.status = worst?.category ?? "success";
    if (listed.notListed) rec.dimse.requestsNotListed = listed.notListed;
  }
}

/**
 * The requests of one association and our operations, bounded: a SUT that
 * floods C-ECHO-RQs made 360,000 in 15 s, an 88 MB record. The first
 * {@linkcode MAX_LISTED_REQUESTS} are listed; of the rest the first that did
 * not succeed (so `echo: success` still sees it) and the last (the end of
 * the conversation), the others counted.
 */
class ListedRequests {
  readonly requests: DimseRequestInfo[] = [];
  readonly operations: DimseOperation[] = [];
  count = 0;
  notListed = 0;
  #failure?: [DimseRequestInfo, DimseOperation | undefined];
  #last?: [DimseRequestInfo, DimseOperation | undefined];

  add(request: DimseRequestInfo, operation?: DimseOperation): void {
    this.count++;
    if (this.requests.length < MAX_LISTED_REQUESTS) {
      this.requests.push(request);
      if (operation) this.operations.push(operation);
      return;
    }
    const failed = !operation || operation.category !== "success";
    if (failed && !this.#failure) return void (this.#failure = [request, operation]);
    this.#last = [request, operation];
  }

  /** Lists the first failure and the last past the bound, in order. */
  end(): void {
    for (const kept of [this.#failure, this.#last]) {
      if (!kept) continue;
      this.requests.push(kept[0]);
      if (kept[1]) this.operations.push(kept[1]);
    }
    this.#failure = this.#last = undefined;
    this.notListed = this.count - this.requests.length;
  }
}

// Our A-ABORT on the SUT's request (source service-user; PS3.8 9.3.8 calls its reason not
// significant): the association ended, and not by the SUT.
function recordOurAbort(outcome: AssociationOutcome): void {
  outcome.result = "aborted";
  outcome.abort = { source: "service-user", reason: "reason-not-specified", by: "us" };
}

// A request whose data set never came whole: no answer, and an operation that got no Success.
function cutShort(
  inFlight: { message: DimseMessage; atMs: number },
  e: unknown,
  endedAtMs: number,
): [DimseRequestInfo, DimseOperation | undefined] {
  const request = describeRequest(inFlight.message, inFlight.atMs);
  request.answer = { aborted: true };
  const command = request.command as DimseOperation["command"];
  if (command !== "C-STORE" && command !== "C-ECHO") return [request, undefined];
  const category = e instanceof AssociationTimeout ? "timeout" : "aborted";
  return [request, {
    command,
    category,
    ...(request.sopInstanceUid ? { sopInstanceUid: request.sopInstanceUid } : {}),
    durationMs: round(endedAtMs - inFlight.atMs),
  }];
}

function describeRequest(message: DimseMessage, atMs: number): DimseRequestInfo {
  const c = message.command;
  return {
    command: commandName(c.CommandField).replace(/-RQ$/, ""),
    ...(c.MessageID !== undefined ? { messageId: c.MessageID } : {}),
    ...(c.AffectedSOPClassUID ? { sopClassUid: c.AffectedSOPClassUID } : {}),
    ...(c.AffectedSOPInstanceUID ? { sopInstanceUid: c.AffectedSOPInstanceUID } : {}),
    // Held in memory, or (a C-STORE) streamed to its file.
    ...(message.dataset || message.datasetLength !== undefined
      ? { datasetBytes: message.dataset?.length ?? message.datasetLength }
      : {}),
    answer: {},
    atMs,
  };
}

function categoryOf(status: number): DimseOperation["category"] {
  const c = statusCategory(status);
  return c === "success" || c === "warning" ? c : "failure";
}
