import {
  COMMAND_FIELDS,
  type DimseMessage,
  echoResponse,
  sendMessage,
  storeResponse,
} from "../dimse/mod.ts";
import { writePart10File } from "../part10/mod.ts";
import type { Association } from "../ul/mod.ts";
import type { AssociationLog } from "./association_log.ts";
import type { AeConfig } from "./config.ts";

/** What a handler is given: the association, the request, and the AE's configuration. */
export interface DimseRequest {
  /** The association the request came on; the answer goes back on it. */
  association: Association;
  /** The request: command set and data set. */
  message: DimseMessage;
  /** The AE's configuration (storage folder, limits). */
  config: AeConfig;
}

/** Answers one DIMSE request and returns the line it adds to the connection's log. */
export type DimseHandler = (request: DimseRequest) => Promise<AssociationLog["dimse"][number]>;

/**
 * The reference AE's services by command field (PS3.7 E.1): C-ECHO, and
 * C-STORE when the AE has a storage folder. A request with no handler here
 * is aborted by the connection.
 *
 * @example
 * ```ts
 * import { dimseHandler } from "./dimse_handlers.ts";
 * import { COMMAND_FIELDS } from "../dimse/mod.ts";
 * import type { AeConfig } from "./config.ts";
 * declare const config: AeConfig;
 * dimseHandler(COMMAND_FIELDS["C-ECHO-RQ"], config); // the C-ECHO handler
 * ```
 */
export function dimseHandler(
  commandField: number | undefined,
  config: AeConfig,
): DimseHandler | undefined {
  if (commandField === COMMAND_FIELDS["C-STORE-RQ"] && config.storage === undefined) {
    return undefined;
  }
  return commandField === undefined ? undefined : HANDLERS.get(commandField);
}

const HANDLERS = new Map<number, DimseHandler>([
  [COMMAND_FIELDS["C-ECHO-RQ"], handleEcho],
  [COMMAND_FIELDS["C-STORE-RQ"], handleStore],
]);

async function handleEcho({ association, message }: DimseRequest) {
  await sendMessage(association, echoResponse(message));
  return { command: "C-ECHO", status: "0x0000" };
}

async function handleStore({ association, message, config }: DimseRequest) {
  const context = association.acceptedContexts.find((c) => c.id === message.contextId)!;
  let status = 0x0000;
  let comment: string | undefined;
  let file: string | undefined;
  try {
    file = await writePart10File(config.storage!, {
      dataset: message.dataset ?? new Uint8Array(),
      transferSyntax: context.transferSyntax,
      sopClassUid: message.command.AffectedSOPClassUID ?? context.abstractSyntax,
      sopInstanceUid: message.command.AffectedSOPInstanceUID ?? "",
      sourceAe: association.rq.callingAe,
    });
  } catch (e) {
    // 0xC000: Error: Cannot understand (PS3.4 B.2.3).
    status = 0xc000;
    comment = `cannot store the data set: ${(e as Error).message}`;
  }
  await sendMessage(association, storeResponse(message, status, comment));
  return {
    command: "C-STORE",
    status: `0x${status.toString(16).padStart(4, "0")}`,
    ...(file ? { file } : {}),
  };
}
