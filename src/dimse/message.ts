import type { Association } from "../ul/mod.ts";
import { commandName, type CommandSet, DimseError, encodeCommand, NO_DATA_SET } from "./command.ts";
import { DimsePeerViolation } from "./peer_violation.ts";

/**
 * One DIMSE message: a command set and, for C-STORE-RQ and the like, a data
 * set already encoded in the context's transfer syntax.
 */
export interface DimseMessage {
  /** The presentation context it travels on. */
  contextId: number;
  /** The command set. */
  command: CommandSet;
  /** The data set's bytes, when the command says one follows (and it was held in memory). */
  dataset?: Uint8Array;
  /** The data set's length, when it went to a sink instead (see `receiveMessage`). */
  datasetLength?: number;
}

const messageIds = new WeakMap<Association, number>();

/**
 * The next Message ID (0000,0110) for requests on this association: 1, 2, ...
 *
 * @example
 * ```ts
 * import { nextMessageId } from "./message.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * const id = nextMessageId(association); // 1
 * ```
 */
export function nextMessageId(association: Association): number {
  const id = ((messageIds.get(association) ?? 0) % 0xffff) + 1;
  messageIds.set(association, id);
  return id;
}

/**
 * Sends a DIMSE message: the command set, then the data set if any, each
 * cut into PDVs no larger than the peer's maximum PDU length allows (PS3.8
 * Annex E), one P-DATA-TF per PDV. Command Data Set Type is set from
 * `dataset` unless the command gives it. A request the peer answers (or
 * sends any message to) before its last fragment went is a protocol violation
 * of the peer: the association is aborted and a DimseError thrown.
 *
 * @example
 * ```ts
 * import { sendMessage } from "./message.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * declare const sopClass: string, uid: string;
 * declare const bytes: Uint8Array; // encoded with dcmjs in the context's transfer syntax
 * await sendMessage(association, {
 *   contextId: 1,
 *   command: {
 *     CommandField: 0x0001,
 *     MessageID: 7,
 *     AffectedSOPClassUID: sopClass,
 *     AffectedSOPInstanceUID: uid,
 *     Priority: 0,
 *   },
 *   dataset: bytes,
 * });
 * ```
 */
export async function sendMessage(association: Association, message: DimseMessage): Promise<void> {
  const { contextId, dataset } = message;
  if (!association.acceptedContexts.some((c) => c.id === contextId)) {
    throw new DimseError(
      `Cannot send DIMSE message: presentation context ${contextId} was not accepted`,
    );
  }
  const command = encodeCommand({
    ...message.command,
    CommandDataSetType: message.command.CommandDataSetType ?? (dataset ? 0x0000 : NO_DATA_SET),
  });
  const max = association.maxPdvDataLength;
  const parts: [Uint8Array, boolean][] = [
    [command, true],
    ...(dataset ? [[dataset, false] as [Uint8Array, boolean]] : []),
  ];
  // A request is answered only once it is whole: a peer's message that came before our
  // last fragment went answered what it never received.
  const request = ((message.command.CommandField ?? 0) & 0x8000) === 0;
  let sent = 0;
  for (const [bytes, isCommand] of parts) {
    for (let at = 0; at === 0 || at < bytes.length; at += max) {
      if (request && sent++ > 0 && association.unreadPData > 0) {
        await association.abort();
        const rq = commandName(message.command.CommandField);
        throw new DimsePeerViolation({
          operation: rq.replace(/-RQ$/, ""),
          messageId: message.command.MessageID,
          violation: `it answered before our ${rq} was complete (after ${
            sent - 1
          } of its P-DATA-TFs)`,
        });
      }
      const data = bytes.subarray(at, at + max);
      await association.sendPData([{
        contextId,
        isCommand,
        isLast: at + max >= bytes.length,
        data,
      }]);
    }
  }
}
