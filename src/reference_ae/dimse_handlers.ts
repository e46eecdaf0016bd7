import {
  COMMAND_FIELDS,
  type CommandSet,
  type DatasetSink,
  type DimseMessage,
  echoResponse,
  isValidUid,
  sendMessage,
  storeResponse,
} from "../dimse/mod.ts";
import type { AcceptedContext, Association } from "../ul/mod.ts";
import { VERIFICATION_SOP_CLASS } from "../ul/uids.ts";
import type { AssociationLog } from "./association_log.ts";
import type { AeConfig } from "./config.ts";
import { STORAGE_SOP_CLASSES } from "./sop_classes.ts";
import { StoreFile, type StoreResult } from "./store_file.ts";

/** A request as far as it came: the association, its presentation context and command set. */
export interface DimseCommand {
  /** The association the request came on; the answer goes back on it. */
  association: Association;
  /** The accepted presentation context it travels on. */
  context: AcceptedContext;
  /** The command set. */
  command: CommandSet;
  /** The AE's configuration (storage folder, limits). */
  config: AeConfig;
}

/** What a handler is given once the request is complete. */
export interface DimseRequest extends DimseCommand {
  /** The request: command set and data set (held, or `datasetLength` when it went to the sink). */
  message: DimseMessage;
  /** The sink the data set went to, when the handler gave one. */
  sink?: DatasetSink;
}

/** One log line of a DIMSE operation. */
export type DimseLogLine = AssociationLog["dimse"][number];

/** How the AE serves one DIMSE command. */
export interface DimseHandler {
  /**
   * Where the request's data set goes as it arrives (C-STORE: a file);
   * without it the data set is held in memory, within `maxDatasetInMemory`.
   */
  sink?(request: DimseCommand): DatasetSink;
  /** Answers the complete request and returns the line it adds to the connection's log. */
  answer(request: DimseRequest): Promise<DimseLogLine>;
}

/**
 * The reference AE's services by command field (PS3.7 E.1): C-ECHO, and
 * C-STORE when the AE has a storage folder. A request with no handler here
 * is aborted by the connection. Each checks the request against its
 * presentation context: the SOP class of the command must be the abstract
 * syntax of the context and a class of the service, else the answer is
 * 0x0122 (Refused: SOP Class not supported, PS3.7 C.5) and nothing is stored.
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

const ECHO: DimseHandler = {
  async answer({ association, message, context }) {
    const refused = sopClassRefusal(message.command, context, [VERIFICATION_SOP_CLASS]);
    const status = refused?.status ?? 0;
    await sendMessage(association, echoResponse(message, status));
    return logLine("C-ECHO", { status, comment: refused?.comment });
  },
};

/** A sink that keeps nothing and ends with a refusal decided before the data set came. */
class Refusal implements DatasetSink {
  constructor(readonly result: StoreResult) {}
  write(): void {}
  finish(): Promise<StoreResult> {
    return Promise.resolve(this.result);
  }
}

const STORE: DimseHandler = {
  sink: (request) => {
    const refused = storeRefusal(request);
    if (refused) return new Refusal(refused);
    const { command, context, config, association } = request;
    return new StoreFile({
      dir: config.storage!,
      sopClassUid: context.abstractSyntax,
      sopInstanceUid: command.AffectedSOPInstanceUID!,
      transferSyntax: context.transferSyntax,
      sourceAe: association.rq.callingAe,
      maxObjectSize: config.maxObjectSize,
      duplicates: config.duplicates,
    });
  },
  async answer(request) {
    const sink = request.sink as StoreFile | Refusal | undefined;
    const result = sink
      ? await sink.finish()
      : storeRefusal(request) ?? { status: 0xc000, comment: "the C-STORE-RQ has no data set" };
    const { association, message } = request;
    await sendMessage(association, storeResponse(message, result.status, result.comment));
    return logLine("C-STORE", result);
  },
};

const HANDLERS = new Map<number, DimseHandler>([
  [COMMAND_FIELDS["C-ECHO-RQ"], ECHO],
  [COMMAND_FIELDS["C-STORE-RQ"], STORE],
]);

// A C-STORE we refuse before its data set comes: wrong SOP class for the context, invalid UID.
function storeRefusal({ command, context }: DimseCommand): StoreResult | undefined {
  const wrongClass = sopClassRefusal(command, context, STORAGE_SOP_CLASSES);
  if (wrongClass) return wrongClass;
  const uid = command.AffectedSOPInstanceUID ?? "";
  if (isValidUid(uid)) return undefined;
  // 0x0117: Invalid SOP Instance, the UID breaks the construction rules (PS3.7 C.5).
  return {
    status: 0x0117,
    comment: "the Affected SOP Instance UID is not a valid UID (PS3.5 9.1)",
  };
}

/**
 * 0x0122 (Refused: SOP Class not supported) when the command's SOP class is
 * not the abstract syntax of its presentation context, or the context is
 * not one of the service's SOP classes.
 */
function sopClassRefusal(
  command: CommandSet,
  context: AcceptedContext,
  serviceClasses: readonly string[],
): StoreResult | undefined {
  const sopClass = command.AffectedSOPClassUID ?? "";
  if (!serviceClasses.includes(context.abstractSyntax)) {
    return {
      status: 0x0122,
      comment: `context ${context.id} is ${context.abstractSyntax}, not for this service`,
    };
  }
  if (sopClass === context.abstractSyntax) return undefined;
  return { status: 0x0122, comment: `SOP class is not that of context ${context.id}` };
}

function logLine(command: string, result: StoreResult): DimseLogLine {
  return {
    command,
    status: `0x${result.status.toString(16).padStart(4, "0")}`,
    ...(result.file ? { file: result.file } : {}),
    ...(result.comment && result.status !== 0 ? { detail: result.comment } : {}),
  };
}
