import type { Association } from "../ul/mod.ts";
import { COMMAND_FIELDS } from "./command.ts";
import { type DimseMessage, nextMessageId, sendMessage } from "./message.ts";
import { awaitResponse } from "./response.ts";
import type { DimseStatus } from "./status.ts";

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
 * returns the status of the C-STORE-RSP. Throws DimseError (after aborting)
 * when the answer is no valid C-STORE-RSP to it (see `awaitResponse`), and
 * the association's typed errors.
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
  const message: DimseMessage = {
    contextId: options.contextId,
    command: {
      CommandField: COMMAND_FIELDS["C-STORE-RQ"],
      MessageID: nextMessageId(association),
      AffectedSOPClassUID: options.sopClassUid,
      AffectedSOPInstanceUID: options.sopInstanceUid,
      Priority: options.priority ?? 0,
    },
    dataset: options.dataset,
  };
  await sendMessage(association, message);
  return await awaitResponse(association, { operation: "C-STORE", message }, options);
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
