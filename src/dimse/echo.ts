import { type Association, VERIFICATION_SOP_CLASS } from "../ul/mod.ts";
import { COMMAND_FIELDS, commandName, DimseError } from "./command.ts";
import { type DimseMessage, nextMessageId, sendMessage } from "./message.ts";
import { receiveMessage } from "./receive.ts";
import { awaitResponse } from "./response.ts";
import type { DimseStatus } from "./status.ts";

/**
 * C-ECHO as SCU (PS3.7 9.1.5): sends C-ECHO-RQ on the accepted Verification
 * context and returns the status of the C-ECHO-RSP. Throws DimseError when
 * no Verification context was accepted or (after aborting) the answer is no
 * valid C-ECHO-RSP to it (see `awaitResponse`), and the association's typed errors (AssociationTimeout, AssociationAborted, ...).
 *
 * @example
 * ```ts
 * import { cEcho } from "./echo.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * const status = await cEcho(association, { timeoutMs: 5000 });
 * status.name; // "Success"
 * ```
 */
export async function cEcho(
  association: Association,
  options: { timeoutMs?: number } = {},
): Promise<DimseStatus> {
  const context = association.acceptedContexts.find((c) =>
    c.abstractSyntax === VERIFICATION_SOP_CLASS
  );
  if (!context) {
    throw new DimseError(
      "Cannot send C-ECHO: the peer accepted no Verification presentation context",
    );
  }
  const message: DimseMessage = {
    contextId: context.id,
    command: {
      CommandField: COMMAND_FIELDS["C-ECHO-RQ"],
      MessageID: nextMessageId(association),
      AffectedSOPClassUID: VERIFICATION_SOP_CLASS,
    },
  };
  await sendMessage(association, message);
  return await awaitResponse(association, { operation: "C-ECHO", message }, options);
}

/**
 * The C-ECHO-RSP to a C-ECHO-RQ (PS3.7 9.3.5.2), Success unless told.
 *
 * @example
 * ```ts
 * import { echoResponse } from "./echo.ts";
 * import { type DimseMessage, sendMessage } from "./message.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * declare const request: DimseMessage;
 * await sendMessage(association, echoResponse(request));
 * ```
 */
export function echoResponse(request: DimseMessage, status = 0x0000): DimseMessage {
  return {
    contextId: request.contextId,
    command: {
      AffectedSOPClassUID: request.command.AffectedSOPClassUID ?? VERIFICATION_SOP_CLASS,
      CommandField: COMMAND_FIELDS["C-ECHO-RSP"],
      MessageIDBeingRespondedTo: request.command.MessageID,
      Status: status,
    },
  };
}

/**
 * C-ECHO as SCP: answers every C-ECHO-RQ with Success until the peer
 * releases (we answer the release) and returns how many it answered. Any
 * other request aborts the association with a DimseError (a Verification-only SCP).
 *
 * @example
 * ```ts
 * import { serveEcho } from "./echo.ts";
 * import { acceptAssociation } from "../ul/mod.ts";
 * import type { Duplex } from "node:stream";
 * declare const socket: Duplex;
 * const association = await acceptAssociation({ socket });
 * const echoes = await serveEcho(association, { timeoutMs: 10_000 });
 * ```
 */
export async function serveEcho(
  association: Association,
  options: { timeoutMs?: number } = {},
): Promise<number> {
  let count = 0;
  while (true) {
    const message = await receiveMessage(association, options);
    if (message === null) {
      await association.release(options);
      return count;
    }
    if (message.command.CommandField !== COMMAND_FIELDS["C-ECHO-RQ"]) {
      await association.abort();
      throw new DimseError(
        `Cannot serve ${commandName(message.command.CommandField)}: only C-ECHO is supported`,
      );
    }
    await sendMessage(association, echoResponse(message));
    count++;
  }
}
