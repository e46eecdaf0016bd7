import type { Association } from "../ul/mod.ts";
import { COMMAND_FIELDS, commandName, NO_DATA_SET } from "./command.ts";
import type { DimseMessage } from "./message.ts";
import { DimsePeerViolation } from "./peer_violation.ts";
import { receiveResponse } from "./receive.ts";
import { describeStatus, type DimseStatus } from "./status.ts";

/** The request a response must answer: what we sent, on which context. */
export interface SentRequest {
  /** "C-STORE" or "C-ECHO": the operation, whose -RSP must come. */
  operation: "C-STORE" | "C-ECHO";
  /** The message we sent: its context, Message ID and Affected SOP Class/Instance UIDs. */
  message: DimseMessage;
}

/**
 * Receives the response to our `request` and returns its status once it is
 * a valid answer (PS3.7 9.3.1.2 C-STORE-RSP, 9.3.5.2 C-ECHO-RSP): the
 * request's -RSP on the request's presentation context, responding to its
 * Message ID, with a Status that the operation can have (a C-STORE or
 * C-ECHO is never Pending nor Cancelled), its Affected SOP Class and
 * Instance UIDs (when present) equal to the request's, and no data set.
 * Anything else is a protocol violation of the peer: the association is
 * aborted and a DimseError says what came, as does an A-RELEASE-RQ
 * instead of the answer.
 *
 * @example
 * ```ts
 * import { awaitResponse } from "./response.ts";
 * import type { DimseMessage } from "./message.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * declare const message: DimseMessage;
 * const status = await awaitResponse(association, { operation: "C-ECHO", message }, { timeoutMs: 5000 });
 * ```
 */
export async function awaitResponse(
  association: Association,
  request: SentRequest,
  options: { timeoutMs?: number } = {},
): Promise<DimseStatus> {
  const { operation, message } = request;
  const answer = await receiveResponse(association, operation, options);
  const wrong = answer
    ? _wrongAnswer(request, answer)
    : "it asked to release (A-RELEASE-RQ) instead of answering";
  if (wrong === undefined) return describeStatus(answer!.command.Status!);
  await association.abort();
  throw new DimsePeerViolation({
    operation,
    messageId: message.command.MessageID,
    violation: wrong,
  });
}

// What makes `answer` no valid response to `request`, or undefined.
function _wrongAnswer(request: SentRequest, answer: DimseMessage): string | undefined {
  const rsp = `${request.operation}-RSP`;
  const sent = request.message;
  const got = answer.command;
  if (got.CommandField !== COMMAND_FIELDS[`${request.operation}-RSP`]) {
    return `it answered with ${commandName(got.CommandField)}, not a ${rsp}`;
  }
  if (answer.contextId !== sent.contextId) {
    return `its ${rsp} came on presentation context ${answer.contextId}, the request went on ${sent.contextId}`;
  }
  if (got.MessageIDBeingRespondedTo !== sent.command.MessageID) {
    return got.MessageIDBeingRespondedTo === undefined
      ? `its ${rsp} has no Message ID Being Responded To (0000,0120)`
      : `its ${rsp} responds to message ${got.MessageIDBeingRespondedTo}`;
  }
  if (got.Status === undefined) return `its ${rsp} has no Status (0000,0900)`;
  const status = describeStatus(got.Status);
  if (status.category === "pending" || status.category === "cancel") {
    return `its ${rsp} has the status ${status.name} (0x${
      hex4(got.Status)
    }), which a ${request.operation} never has`;
  }
  for (const [keyword, tag] of UIDS) {
    const ours = sent.command[keyword], theirs = got[keyword];
    if (theirs !== undefined && theirs !== ours) {
      const was = ours === undefined ? "which our request had not" : `ours was "${ours}"`;
      return `its ${rsp} has the ${NAMES[keyword]} ${tag} "${clip(theirs)}", ${was}`;
    }
  }
  if (got.CommandDataSetType !== NO_DATA_SET) {
    return `its ${rsp} announces a data set (Command Data Set Type 0x${
      hex4(got.CommandDataSetType ?? 0)
    }), which a ${rsp} never has`;
  }
  return undefined;
}

const UIDS = [["AffectedSOPClassUID", "(0000,0002)"], [
  "AffectedSOPInstanceUID",
  "(0000,1000)",
]] as const;
const NAMES = {
  AffectedSOPClassUID: "Affected SOP Class UID",
  AffectedSOPInstanceUID: "Affected SOP Instance UID",
};

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");

// A UID is at most 64 characters (PS3.5 9.1): a peer's longer one is cut, not printed whole.
function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}...` : s;
}
