import type { Association } from "../ul/mod.ts";
import type { Pdv } from "../ul/mod.ts";
import {
  type CommandSet,
  decodeCommand,
  DimseError,
  encodeCommand,
  NO_DATA_SET,
} from "./command.ts";

/**
 * One DIMSE message: a command set and, for C-STORE-RQ and the like, a data
 * set already encoded in the context's transfer syntax.
 */
export interface DimseMessage {
  /** The presentation context it travels on. */
  contextId: number;
  /** The command set. */
  command: CommandSet;
  /** The data set's bytes, when the command says one follows. */
  dataset?: Uint8Array;
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
 * `dataset` unless the command gives it.
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
  for (const [bytes, isCommand] of parts) {
    for (let at = 0; at === 0 || at < bytes.length; at += max) {
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

/**
 * Receives the next DIMSE message, reassembling command and data set PDVs,
 * or `null` when the peer asked to release instead (answer with
 * `association.release()`). Throws DimseError for fragments that break
 * PS3.8 Annex E (after aborting), and the association's typed errors.
 *
 * @example
 * ```ts
 * import { receiveMessage } from "./message.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * const message = await receiveMessage(association, { timeoutMs: 10_000 });
 * if (message === null) await association.release();
 * ```
 */
export async function receiveMessage(
  association: Association,
  options: { timeoutMs?: number } = {},
): Promise<DimseMessage | null> {
  const deadline = performance.now() + (options.timeoutMs ?? 30_000);
  const command: Uint8Array[] = [];
  const dataset: Uint8Array[] = [];
  let contextId: number | undefined;
  let decoded: CommandSet | undefined;
  const violation = async (what: string) => {
    await association.abort();
    return new DimseError(`Cannot receive DIMSE message: ${what}`);
  };
  while (true) {
    const pdvs: Pdv[] | null = await association.receivePData({
      timeoutMs: Math.max(1, deadline - performance.now()),
    });
    if (pdvs === null) {
      if (contextId === undefined) return null;
      throw await violation("the peer asked to release in the middle of a message");
    }
    for (const pdv of pdvs) {
      contextId ??= pdv.contextId;
      if (pdv.contextId !== contextId) {
        throw await violation(
          `PDV on context ${pdv.contextId} inside a message on context ${contextId}`,
        );
      }
      if (pdv.isCommand !== (decoded === undefined)) {
        throw await violation(
          decoded
            ? "a command fragment after the command ended"
            : "a data set fragment before the command ended",
        );
      }
      (pdv.isCommand ? command : dataset).push(pdv.data);
      if (pdv.isCommand && pdv.isLast) {
        try {
          decoded = decodeCommand(concat(command));
        } catch (e) {
          throw await violation((e as Error).message);
        }
        if (decoded.CommandDataSetType === NO_DATA_SET) return { contextId, command: decoded };
      } else if (!pdv.isCommand && pdv.isLast) {
        return { contextId, command: decoded!, dataset: concat(dataset) };
      }
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
