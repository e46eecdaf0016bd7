/**
 * A hostile SCP for the DIMSE layer of our SCU: it accepts the association
 * (hostile_peers.ts's associatingScp) and answers our C-STORE-RQ or
 * C-ECHO-RQ in one of the ways PS3.7 and PS3.8 forbid.
 *
 * @module
 */
import type { Duplex } from "node:stream";
import { type CommandSet, decodeCommand, encodeCommand } from "../dimse/command.ts";
import { concatBytes, encodePdu } from "../ul/mod.ts";
import { associatingScp } from "./hostile_peers.ts";
import type { PkiResult } from "./pki.ts";
import { pDataPdu, readPdu, writeDrained } from "./raw_association.ts";

/** How {@linkcode startHostileDimseScp} answers a request. */
export type HostileAnswer =
  | "wrong-message-id"
  | "wrong-instance-uid"
  | "wrong-class-uid"
  | "hostile-uid"
  | "echo-rsp"
  | "store-rq"
  | "other-context"
  | "unaccepted-context"
  | "early"
  | "pending-forever"
  | "twice"
  | "twice-at-release"
  | "no-status"
  | "odd-status"
  | "with-dataset"
  | "abort-mid"
  | "release-mid"
  | "silent-after"
  | "wrong-group-length"
  | "release-rp"
  | "abort-at-release"
  | "garbage-at-release";

/** Every {@linkcode HostileAnswer}. */
export const HOSTILE_ANSWERS: readonly HostileAnswer[] = [
  "wrong-message-id",
  "wrong-instance-uid",
  "wrong-class-uid",
  "hostile-uid",
  "echo-rsp",
  "store-rq",
  "other-context",
  "unaccepted-context",
  "early",
  "pending-forever",
  "twice",
  "twice-at-release",
  "no-status",
  "odd-status",
  "with-dataset",
  "abort-mid",
  "release-mid",
  "silent-after",
  "wrong-group-length",
  "release-rp",
  "abort-at-release",
  "garbage-at-release",
];

/**
 * A TLS SCP (`server` from the PKI) that accepts every context and answers
 * the first request with `answer`: a response that is not a valid answer
 * to it, an answer before the data set is complete, statuses without end,
 * an A-ABORT or A-RELEASE-RQ in the middle of the data set, an A-RELEASE-RP
 * (a PDU with no place in Sta6), or a good response and then silence. It
 * answers an A-RELEASE-RQ unless `silent-after` (which, like the A-ABORT,
 * A-RELEASE-RQ and A-RELEASE-RP answers, then reads everything and says
 * nothing), `abort-at-release` (an A-ABORT instead) or `garbage-at-release`
 * (a PDU of type 0x09, which PS3.8 does not have).
 *
 * @example
 * ```ts
 * import { startHostileDimseScp } from "./hostile_dimse_scp.ts";
 * import type { PkiResult } from "./pki.ts";
 * declare const pki: PkiResult;
 * const scp = await startHostileDimseScp(pki, { answer: "twice" });
 * await scp.close();
 * ```
 */
export async function startHostileDimseScp(
  pki: PkiResult,
  options: { answer: HostileAnswer },
): Promise<{ port: number; close(): Promise<void> }> {
  const server = await associatingScp(pki, async (socket, rq) => {
    const first = await readPdu(socket, 10_000);
    if (first[0] !== 0x04) return void socket.destroy();
    const contextId = first[10];
    const request = decodeCommand(first.subarray(12));
    const answer = options.answer;
    const mid = answer === "early" || answer === "abort-mid" || answer === "release-mid";
    if (!mid && request.CommandDataSetType !== 0x0101) await readDataSet(socket);
    const other = rq.presentationContexts.find((pc) => pc.id !== contextId)?.id ?? contextId + 2;
    const send = (command: CommandSet, o: { on?: number; dataset?: Uint8Array } = {}) =>
      writeDrained(socket, respond(o.on ?? contextId, command, o.dataset));
    const good = response(request);
    switch (answer) {
      case "wrong-message-id":
        await send({ ...good, MessageIDBeingRespondedTo: (request.MessageID! + 1) & 0xffff });
        break;
      case "wrong-instance-uid":
        await send({ ...good, AffectedSOPInstanceUID: "1.2.3.999" });
        break;
      case "wrong-class-uid":
        await send({ ...good, AffectedSOPClassUID: "1.2.840.10008.5.1.4.1.1.2" });
        break;
      case "hostile-uid":
        // Terminal controls, a right-to-left override and 200 characters, where a UID goes.
        await send({ ...good, AffectedSOPInstanceUID: `\x1b[2J\u202E\x9b${"9".repeat(200)}` });
        break;
      case "echo-rsp":
        await send({ ...good, CommandField: 0x8030 });
        break;
      case "store-rq":
        await send({
          CommandField: 0x0001,
          MessageID: 1,
          AffectedSOPClassUID: request.AffectedSOPClassUID,
          AffectedSOPInstanceUID: "1.2.3.4",
          Priority: 0,
          CommandDataSetType: 0x0101,
        });
        break;
      case "other-context":
        await send(good, { on: other });
        break;
      case "unaccepted-context":
        await send(good, { on: 255 });
        break;
      case "early":
        await send(good);
        // Not reading for a while: the 16 MiB cannot all be sent before the answer is in. Read
        // at once, the rest could be, and our side would rightly see the answer after its last byte.
        await new Promise((r) => setTimeout(r, 500));
        await readDataSet(socket);
        break;
      case "pending-forever":
        while (!socket.destroyed) {
          await send({ ...good, Status: 0xff00 });
          await new Promise((r) => setTimeout(r, 5));
        }
        return;
      case "twice": {
        // In one write (one TLS record): both are there when the first is read.
        const once = respond(contextId, good);
        await writeDrained(socket, concatBytes([once, once]));
        break;
      }
      case "twice-at-release":
        await send(good);
        // The second one after our A-RELEASE-RQ, before the A-RELEASE-RP (PS3.8 Sta7 allows P-DATA).
        return await releaseWhenAsked(socket, () => send(good));
      case "no-status": {
        const { Status: _, ...rest } = good;
        await send(rest);
        break;
      }
      case "odd-status":
        await send({ ...good, Status: 0x5a5a });
        break;
      case "with-dataset":
        await send({ ...good, CommandDataSetType: 0x0000 }, { dataset: new Uint8Array(64) });
        break;
      case "abort-mid":
        // A-P-ABORT: service provider (2), reason not specified.
        await writeDrained(
          socket,
          encodePdu({
            type: "A-ABORT",
            source: "service-provider",
            reason: "reason-not-specified",
          }),
        );
        return drain(socket);
      case "release-mid":
        await writeDrained(socket, encodePdu({ type: "A-RELEASE-RQ" }));
        return drain(socket);
      case "silent-after":
        await send(good);
        return drain(socket);
      case "release-rp":
        await writeDrained(socket, encodePdu({ type: "A-RELEASE-RP" }));
        return drain(socket);
      case "abort-at-release":
      case "garbage-at-release":
        await send(good);
        await readPdu(socket, 30_000);
        await writeDrained(
          socket,
          answer === "garbage-at-release"
            ? new Uint8Array([0x09, 0, 0, 0, 0, 2, 0, 0])
            : encodePdu({
              type: "A-ABORT",
              source: "service-user",
              reason: "reason-not-specified",
            }),
        );
        return drain(socket);
      case "wrong-group-length": {
        const bytes = encodeCommand(good);
        // (0000,0000)'s value says 40 bytes more than follow.
        const view = new DataView(bytes.buffer, bytes.byteOffset);
        view.setUint32(8, view.getUint32(8, true) + 40, true);
        await writeDrained(socket, pDataPdu(contextId, true, true, bytes));
        break;
      }
    }
    await releaseWhenAsked(socket);
  });
  return { port: server.port, close: () => server.close() };
}

/**
 * A TLS SCP (`server` from the PKI) that answers each request of an
 * association with a valid response whose Status is the next of `statuses`
 * (round the list), then answers the A-RELEASE-RQ: an SCP that refuses some
 * files of a store and takes others.
 *
 * @example
 * ```ts
 * import { startStatusScp } from "./hostile_dimse_scp.ts";
 * import type { PkiResult } from "./pki.ts";
 * declare const pki: PkiResult;
 * const scp = await startStatusScp(pki, { statuses: [0xa700, 0x0000] });
 * await scp.close();
 * ```
 */
export async function startStatusScp(
  pki: PkiResult,
  options: { statuses: readonly number[] },
): Promise<{ port: number; close(): Promise<void> }> {
  const server = await associatingScp(pki, async (socket) => {
    for (let i = 0;; i++) {
      const pdu = await readPdu(socket, 10_000);
      if (pdu[0] === 0x05) {
        return void await writeDrained(socket, encodePdu({ type: "A-RELEASE-RP" }));
      }
      if (pdu[0] !== 0x04) return void socket.destroy();
      const request = decodeCommand(pdu.subarray(12));
      if (request.CommandDataSetType !== 0x0101) await readDataSet(socket);
      const Status = options.statuses[i % options.statuses.length];
      await writeDrained(socket, respond(pdu[10], { ...response(request), Status }));
    }
  });
  return { port: server.port, close: () => server.close() };
}

// The good response to `request` (PS3.7 9.3.1.2, 9.3.5.2): what the hostile answers start from.
function response(request: CommandSet): CommandSet {
  return {
    CommandField: (request.CommandField ?? 0) | 0x8000,
    MessageIDBeingRespondedTo: request.MessageID,
    AffectedSOPClassUID: request.AffectedSOPClassUID,
    ...(request.AffectedSOPInstanceUID
      ? { AffectedSOPInstanceUID: request.AffectedSOPInstanceUID }
      : {}),
    Status: 0,
    CommandDataSetType: 0x0101,
  };
}

function respond(contextId: number, command: CommandSet, dataset?: Uint8Array): Uint8Array {
  const rsp = pDataPdu(contextId, true, true, encodeCommand(command));
  return dataset ? concatBytes([rsp, pDataPdu(contextId, false, true, dataset)]) : rsp;
}

// Reads a data set to its last fragment (one PDV per PDU, as our SCU sends).
async function readDataSet(socket: Duplex): Promise<void> {
  for (let last = false; !last;) {
    const pdu = await readPdu(socket, 10_000);
    if (pdu[0] !== 0x04) throw new Error(`PDU type ${pdu[0]} inside the data set`);
    last = (pdu[11] & 0x02) !== 0;
  }
}

// Reads and ignores everything from now on.
function drain(socket: Duplex): void {
  socket.on("data", () => {});
  socket.resume();
}

// Answers an A-RELEASE-RQ with an A-RELEASE-RP once it comes (skipping P-DATA-TF), after `first`.
async function releaseWhenAsked(socket: Duplex, first?: () => Promise<void>): Promise<void> {
  for (;;) {
    const pdu = await readPdu(socket, 30_000);
    if (pdu[0] === 0x05) {
      await first?.();
      return void await writeDrained(socket, encodePdu({ type: "A-RELEASE-RP" }));
    }
    if (pdu[0] !== 0x04) return void socket.destroy();
  }
}
