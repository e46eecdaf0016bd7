import assert from "node:assert/strict";
import net from "node:net";
import {
  acceptAssociation,
  type Association,
  AssociationAborted,
  IMPLICIT_VR_LITTLE_ENDIAN,
  MAX_SENT_PDV_DATA,
  requestAssociation,
} from "../ul/mod.ts";
import { DimseError } from "./command.ts";
import { sendMessage } from "./message.ts";
import { DimseLimitExceeded, MIN_PDV_CHARGE, receiveMessage } from "./receive.ts";

const SOP_CLASS = "1.2.840.10008.5.1.4.1.1.7";

/** Our requestor and our acceptor (maximum PDU `maxPduLength`, default 4096) on loopback. */
async function pair(
  maxPduLength = 4096,
): Promise<{ scu: Association; scp: Association; close: () => Promise<void> }> {
  let accepted!: Promise<Association>;
  const server = net.createServer({ noDelay: true }, (socket) => {
    accepted = acceptAssociation({
      socket,
      maxPduLength,
      timeoutMs: 2000,
      decide: (rq) => ({
        accept: true,
        presentationContexts: [{
          id: rq.presentationContexts[0].id,
          result: "acceptance",
          transferSyntax: IMPLICIT_VR_LITTLE_ENDIAN,
        }],
      }),
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const scu = await requestAssociation({
    socket: net.connect({
      host: "127.0.0.1",
      port: (server.address() as net.AddressInfo).port,
      noDelay: true,
    }),
    callingAe: "SCU",
    calledAe: "SCP",
    presentationContexts: [{
      abstractSyntax: SOP_CLASS,
      transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
    }],
  });
  return { scu, scp: await accepted, close: () => new Promise((r) => server.close(() => r())) };
}

Deno.test("sendMessage() fragments by the peer's maximum and receiveMessage() reassembles command and data set", async () => {
  const { scu, scp, close } = await pair();
  const dataset = Uint8Array.from({ length: 10_000 }, (_, i) => i % 256);
  const command = {
    CommandField: 0x0001,
    MessageID: 9,
    AffectedSOPClassUID: SOP_CLASS,
    AffectedSOPInstanceUID: "1.2.3",
    Priority: 0,
  };
  const [, received] = await Promise.all([
    sendMessage(scu, { contextId: 1, command, dataset }),
    receiveMessage(scp, { timeoutMs: 2000 }),
  ]);
  assert.deepEqual(received, {
    contextId: 1,
    command: { ...command, CommandDataSetType: 0 },
    dataset,
  });
  assert.equal(scu.maxPdvDataLength, 4090);
  await Promise.all([
    scu.release(),
    receiveMessage(scp).then((m) => (assert.equal(m, null), scp.release())),
  ]);
  await close();
});

Deno.test("receiveMessage() aborts on a data set fragment before the command ended", async () => {
  const { scu, scp, close } = await pair();
  await scu.sendPData([{
    contextId: 1,
    isCommand: false,
    isLast: true,
    data: Uint8Array.of(1, 2),
  }]);
  await assert.rejects(receiveMessage(scp, { timeoutMs: 2000 }), DimseError);
  await assert.rejects(receiveMessage(scu, { timeoutMs: 2000 }), AssociationAborted);
  await Promise.all([scu.closed, scp.closed]);
  await close();
});

Deno.test("sendMessage() refuses a presentation context that was not accepted", async () => {
  const { scu, scp, close } = await pair();
  await assert.rejects(
    sendMessage(scu, { contextId: 3, command: { CommandField: 0x0030 } }),
    /was not accepted/,
  );
  await Promise.all([scu.release(), receiveMessage(scp).then(() => scp.release())]);
  await close();
});

Deno.test("receiveMessage() takes a data set exactly at its limit in 64-byte PDVs, and aborts one of empty PDVs at the limit's count of them", async () => {
  const { scu, scp, close } = await pair();
  const command = { CommandField: 0x0030, MessageID: 1, CommandDataSetType: 0 };
  const pdv = (data: Uint8Array, isLast = false) => ({
    contextId: 1,
    isCommand: false,
    isLast,
    data,
  });
  const limit = 64 * 100;
  const dataset = Uint8Array.from({ length: limit }, (_, i) => i % 251);
  const chunks = Array.from({ length: 100 }, (_, i) => dataset.subarray(i * 64, i * 64 + 64));
  const [, received] = await Promise.all([
    (async () => {
      await sendMessage(scu, { contextId: 1, command });
      for (let i = 0; i < 100; i += 50) {
        await scu.sendPData(chunks.slice(i, i + 50).map((c, j) => pdv(c, i + j === 99)));
      }
    })(),
    receiveMessage(scp, { timeoutMs: 2000, maxDatasetLength: limit }),
  ]);
  assert.deepEqual(received?.dataset, dataset);
  // Empty PDVs count MIN_PDV_CHARGE each: the limit's worth of them ends the message.
  await sendMessage(scu, { contextId: 1, command });
  const empties = Array(limit / MIN_PDV_CHARGE + 2).fill(pdv(new Uint8Array(0)));
  await scu.sendPData(empties.slice(0, 60));
  await scu.sendPData(empties.slice(60));
  await assert.rejects(
    receiveMessage(scp, { timeoutMs: 2000, maxDatasetLength: limit }),
    DimseLimitExceeded,
  );
  await Promise.all([scu.closed, scp.closed]);
  await close();
});

Deno.test("sendMessage() sends PDVs of at most 1 MiB to a peer with no maximum length", async () => {
  const { scu, scp, close } = await pair(0);
  assert.equal(scu.peerMaxPduLength, 0);
  assert.equal(scu.maxPdvDataLength, MAX_SENT_PDV_DATA);
  const dataset = new Uint8Array(2 * MAX_SENT_PDV_DATA + 10).fill(7);
  const sizes: number[] = [];
  const [, received] = await Promise.all([
    sendMessage(scu, {
      contextId: 1,
      command: { CommandField: 0x0001, MessageID: 3, AffectedSOPClassUID: SOP_CLASS },
      dataset,
    }),
    (async () => {
      for (let last = false; !last;) {
        const pdvs = (await scp.receivePData())!;
        sizes.push(...pdvs.filter((p) => !p.isCommand).map((p) => p.data.length));
        last = pdvs.some((p) => !p.isCommand && p.isLast);
      }
    })(),
  ]);
  assert.equal(received, undefined);
  assert.deepEqual(sizes, [MAX_SENT_PDV_DATA, MAX_SENT_PDV_DATA, 10]);
  await scu.abort();
  await close();
});
