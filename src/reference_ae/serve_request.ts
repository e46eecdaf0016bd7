import {
  type CommandSet,
  type DatasetSink,
  type DimseMessage,
  receiveMessage,
} from "../dimse/mod.ts";
import { relieveMemory } from "../memory/mod.ts";
import type { Association } from "../ul/mod.ts";
import type { AeConfig } from "./config.ts";
import { type DimseCommand, dimseHandler, type DimseLogLine } from "./dimse_handlers.ts";

/** One DIMSE request the peer sent, and what the reference AE's handlers made of it. */
export type ServedRequest =
  | {
    /** The request. */
    message: DimseMessage;
    /** When it was complete (`performance.now()`). */
    receivedAt: number;
    /** The handler's log line: the answer's status and what was done. */
    line: DimseLogLine;
    /** How long the answer took, in milliseconds. */
    answerMs: number;
  }
  | {
    /** The request, for which the AE has no handler: the caller aborts. */
    message: DimseMessage;
    receivedAt: number;
    unsupported: true;
  };

/** Options of {@linkcode serveRequest}. */
export interface ServeRequestOptions {
  /** The AE's configuration: handlers, storage, data set limits. */
  config: AeConfig;
  /** The longest a whole message may take to arrive. */
  timeoutMs: number;
  /** The longest silence between two PDUs of a message. */
  idleTimeoutMs?: number;
  /** Told of a request's command set once it came, before its data set: a message cut short is known. */
  onCommand?(message: { contextId: number; command: CommandSet }): void;
}

/**
 * Receives the peer's next DIMSE request on an established association and
 * answers it with the reference AE's handlers: a C-STORE's data set goes to
 * its file as it arrives, any other is held within `maxDatasetInMemory`.
 * Resolves `null` when the peer asked to release instead; rejects as
 * {@linkcode receiveMessage} does. The one way both the reference AE and
 * an inbound case (src/inbound/) serve requests.
 *
 * @example
 * ```ts
 * import { serveRequest } from "./serve_request.ts";
 * import type { AeConfig } from "./config.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * declare const config: AeConfig;
 * const served = await serveRequest(association, { config, timeoutMs: 30_000 });
 * if (served && "line" in served) console.log(served.line.status);
 * ```
 */
export async function serveRequest(
  association: Association,
  options: ServeRequestOptions,
): Promise<ServedRequest | null> {
  const { config } = options;
  let request: DimseCommand | undefined;
  let sink: DatasetSink | undefined;
  const message = await receiveMessage(association, {
    timeoutMs: options.timeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    maxDatasetLength: config.maxDatasetInMemory,
    sink: ({ contextId, command }) => {
      options.onCommand?.({ contextId, command });
      request = dimseCommand(association, contextId, command, config);
      sink = dimseHandler(command.CommandField, config)?.sink?.(request);
      return sink && relieving(sink);
    },
  });
  const receivedAt = performance.now();
  if (message === null) return null;
  const handler = dimseHandler(message.command.CommandField, config);
  if (!handler) return { message, receivedAt, unsupported: true };
  request ??= dimseCommand(association, message.contextId, message.command, config);
  const line = await handler.answer({ ...request, message, sink });
  return { message, receivedAt, line, answerMs: performance.now() - receivedAt };
}

// receiveMessage checked that the context was accepted.
function dimseCommand(
  association: Association,
  contextId: number,
  command: CommandSet,
  config: AeConfig,
): DimseCommand {
  const context = association.acceptedContexts.find((c) => c.id === contextId)!;
  return { association, context, command, config };
}

/** Bytes a sink takes between two full garbage collections. */
const RELIEF_BYTES = 16 * 1024 * 1024;

/**
 * The sink, with a full garbage collection every {@linkcode RELIEF_BYTES}:
 * each PDU of a long data set is a fresh buffer, and V8 lets dead ones pile
 * up (a 2 GB C-STORE: peak RSS 220 MB without, about 150 MB with).
 */
function relieving(sink: DatasetSink): DatasetSink {
  let since = 0;
  return {
    write(fragment) {
      since += fragment.length;
      if (since >= RELIEF_BYTES) {
        since = 0;
        relieveMemory({ force: true });
      }
      return sink.write(fragment);
    },
    abandon: () => sink.abandon?.(),
  };
}
