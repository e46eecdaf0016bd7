import type { Association } from "../ul/mod.ts";
import { COMMAND_FIELDS, commandName, DimseError } from "./command.ts";
import { type DimseMessage, nextMessageId, sendMessage } from "./message.ts";
import { receiveResponse } from "./receive.ts";
import { describeStatus, type DimseStatus } from "./status.ts";

/** Options of {@linkcode cStore}. */
export interface CStoreOptions {
  /** The accepted presentation context to send on (its abstract syntax is the SOP class). */
  contextId: number;
  /** Affected SOP Class UID of the instance. */
  sopClassUid: string;
  /** Affected SOP Instance UID of the instance. */
  sopInstanceUid: string;
  /** The data set, encoded in the context's transfer syntax (e.g. with dcmjs). */
  dataset: Uint8Array;
  /** 0 medium (default), 1 high, 2 low. */
  priority?: number;
  /** Wait for the C-STORE-RSP; default 30 000 ms. */
  timeoutMs?: number;
}

/**
 * C-STORE as SCU (PS3.7 9.1.1): sends C-STORE-RQ with the data set and
 * returns the status of the C-STORE-RSP. Throws DimseError when the answer is
 * not our C-STORE-RSP, and the association's typed errors.
 *
 * @example
 * ```ts
 * import { cStore } from "./c_store.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * declare const sopClassUid: string, sopInstanceUid: string;
 * declare const dataset: Uint8Array; // in the context's transfer syntax
 * const status = await cStore(association, { contextId: 3, sopClassUid, sopInstanceUid, dataset });
 * status.category; // "success"
 * ```
 */
export async function cStore(
  association: Association,
  options: CStoreOptions,
): Promise<DimseStatus> {
  const id = nextMessageId(association);
  await sendMessage(association, {
    contextId: options.contextId,
    command: {
      CommandField: COMMAND_FIELDS["C-STORE-RQ"],
      MessageID: id,
      AffectedSOPClassUID: options.sopClassUid,
      AffectedSOPInstanceUID: options.sopInstanceUid,
      Priority: options.priority ?? 0,
    },
    dataset: options.dataset,
  });
  const answer = await receiveResponse(association, "C-STORE", { timeoutMs: options.timeoutMs });
  if (!answer) {
    throw new DimseError("C-STORE failed: the peer asked to release instead of answering");
  }
  const { CommandField, MessageIDBeingRespondedTo, Status } = answer.command;
  if (
    CommandField !== COMMAND_FIELDS["C-STORE-RSP"] || MessageIDBeingRespondedTo !== id ||
    Status === undefined
  ) {
    throw new DimseError(
      `C-STORE failed: expected C-STORE-RSP to message ${id} with a status, got ${
        commandName(CommandField)
      } to ${MessageIDBeingRespondedTo}`,
    );
  }
  return describeStatus(Status);
}

/**
 * The C-STORE-RSP to a C-STORE-RQ (PS3.7 9.3.1.2), Success unless told;
 * `errorComment` goes into (0000,0902) for a failure.
 *
 * @example
 * ```ts
 * import { storeResponse } from "./c_store.ts";
 * import { type DimseMessage, sendMessage } from "./message.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * declare const request: DimseMessage;
 * await sendMessage(association, storeResponse(request, 0xa700, "disk full"));
 * ```
 */
export function storeResponse(
  request: DimseMessage,
  status = 0x0000,
  errorComment?: string,
): DimseMessage {
  return {
    contextId: request.contextId,
    command: {
      AffectedSOPClassUID: request.command.AffectedSOPClassUID,
      AffectedSOPInstanceUID: request.command.AffectedSOPInstanceUID,
      CommandField: COMMAND_FIELDS["C-STORE-RSP"],
      MessageIDBeingRespondedTo: request.command.MessageID,
      Status: status,
      // LO holds at most 64 characters.
      ...(errorComment ? { ErrorComment: errorComment.slice(0, 64) } : {}),
    },
  };
}
