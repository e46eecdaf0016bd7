/**
 * Our upper layer and DIMSE against DCMTK 3.6.7 over plain TCP on 127.0.0.1:
 * our requestor against storescp, our acceptor serving echoscu.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { cEcho, COMMAND_FIELDS, receiveMessage, sendMessage, serveEcho } from "../src/dimse/mod.ts";
import type { PduTrace } from "../src/outcome/mod.ts";
import { freePort, type RunningProcess, startProcess } from "../src/process/mod.ts";
import {
  acceptAssociation,
  AssociationRejected,
  IMPLICIT_VR_LITTLE_ENDIAN,
  requestAssociation,
  VERIFICATION_SOP_CLASS,
} from "../src/ul/mod.ts";
import { havePeer, PEER_ENV } from "../src/testing/peers.ts";

const dcmtk = havePeer("storescp", "dcmtk") && havePeer("echoscu", "dcmtk");
const SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

async function storescp(
  flags: string[] = [],
): Promise<RunningProcess & { port: number; dir: string }> {
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-ul-" });
  const proc = await startProcess({
    command: ["storescp", ...flags, "-aet", "STORESCP", "-od", dir, String(port)],
    env: PEER_ENV,
    ready: { port, timeoutMs: 10_000 },
  });
  return {
    ...proc,
    port,
    dir,
    stop: async () => {
      await proc.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Our requestor, proposing one abstract syntax in implicit VR little endian to storescp. */
function associate(port: number, abstractSyntax: string, trace: PduTrace[] = []) {
  return requestAssociation({
    socket: net.connect({ host: "127.0.0.1", port, noDelay: true }),
    callingAe: "DICOMTLS",
    calledAe: "STORESCP",
    presentationContexts: [{ abstractSyntax, transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN] }],
    timeoutMs: 5000,
    onPdu: (t) => trace.push(t),
  });
}

Deno.test({
  name: "requestAssociation() associates, echoes and releases against DCMTK storescp",
  ignore: !dcmtk,
  async fn() {
    const scp = await storescp();
    const trace: PduTrace[] = [];
    try {
      const association = await associate(scp.port, VERIFICATION_SOP_CLASS, trace);
      assert.deepEqual(association.acceptedContexts, [
        {
          id: 1,
          abstractSyntax: VERIFICATION_SOP_CLASS,
          transferSyntax: IMPLICIT_VR_LITTLE_ENDIAN,
        },
      ]);
      assert.equal(association.ac.userInformation.implementationVersionName, "OFFIS_DCMTK_367");
      const status = await cEcho(association, { timeoutMs: 5000 });
      assert.deepEqual(status, { code: 0, name: "Success", category: "success" });
      await association.release({ timeoutMs: 5000 });
      assert.equal(association.state, "Sta1");
      assert.deepEqual(trace.map((t) => `${t.direction} ${t.type}`), [
        "sent A-ASSOCIATE-RQ",
        "received A-ASSOCIATE-AC",
        "sent P-DATA-TF",
        "received P-DATA-TF",
        "sent A-RELEASE-RQ",
        "received A-RELEASE-RP",
      ]);
      assert.equal(trace[1].fields.calledAe, "STORESCP");
    } finally {
      await scp.stop();
    }
  },
});

Deno.test({
  name:
    "requestAssociation() reports storescp --refuse as rejected-permanent, service-user, no-reason-given",
  ignore: !dcmtk,
  async fn() {
    const scp = await storescp(["--refuse"]);
    try {
      const error = await associate(scp.port, VERIFICATION_SOP_CLASS).catch((e) => e);
      assert.ok(error instanceof AssociationRejected, String(error));
      assert.deepEqual([error.result, error.source, error.reason], [
        "rejected-permanent",
        "service-user",
        "no-reason-given",
      ]);
    } finally {
      await scp.stop();
    }
  },
});

/** A minimal implicit VR little endian data set with a long comment, to force fragmentation. */
function dataset(sopInstanceUid: string, commentLength: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const element = (group: number, el: number, value: string) => {
    const v = new TextEncoder().encode(value.length % 2 ? value + "\0" : value);
    const header = new DataView(new ArrayBuffer(8));
    header.setUint16(0, group, true);
    header.setUint16(2, el, true);
    header.setUint32(4, v.length, true);
    parts.push(new Uint8Array(header.buffer), v);
  };
  element(0x0008, 0x0016, SECONDARY_CAPTURE);
  element(0x0008, 0x0018, sopInstanceUid);
  element(0x0010, 0x0010, "Fragment^Test");
  element(0x0010, 0x4000, "x".repeat(commentLength));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

Deno.test({
  name:
    "sendMessage() fragments a C-STORE data set by storescp's maximum PDU length and storescp stores it",
  ignore: !dcmtk,
  async fn() {
    const scp = await storescp(["--max-pdu", "4096"]);
    const trace: PduTrace[] = [];
    try {
      const association = await associate(scp.port, SECONDARY_CAPTURE, trace);
      assert.equal(association.peerMaxPduLength, 4096);
      const uid = "1.2.826.0.1.3680043.2.1143.777.1";
      await sendMessage(association, {
        contextId: 1,
        command: {
          CommandField: COMMAND_FIELDS["C-STORE-RQ"],
          MessageID: 1,
          AffectedSOPClassUID: SECONDARY_CAPTURE,
          AffectedSOPInstanceUID: uid,
          Priority: 0,
        },
        dataset: dataset(uid, 10_000),
      });
      const response = await receiveMessage(association, { timeoutMs: 5000 });
      assert.equal(response?.command.CommandField, COMMAND_FIELDS["C-STORE-RSP"]);
      assert.equal(response?.command.Status, 0);
      await association.release();
      const sent = trace.filter((t) => t.direction === "sent" && t.type === "P-DATA-TF");
      assert.equal(sent.length, 4, "one command PDU and three data set fragments");
      assert.ok(sent.every((t) => t.length <= 4096 + 6));
      assert.deepEqual([...Deno.readDirSync(scp.dir)].map((e) => e.name), [`SC.${uid}`]);
    } finally {
      await scp.stop();
    }
  },
});

Deno.test({
  name: "acceptAssociation() and serveEcho() answer DCMTK echoscu",
  ignore: !dcmtk,
  async fn() {
    let served!: Promise<number>;
    const server = net.createServer({ noDelay: true }, (socket) => {
      served = acceptAssociation({ socket, timeoutMs: 5000 }).then((a) =>
        serveEcho(a, { timeoutMs: 5000 })
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const out = await new Deno.Command("echoscu", {
        args: [
          "-v",
          "-aet",
          "ECHOSCU",
          "-aec",
          "DICOMTLS",
          "--repeat",
          "3",
          "127.0.0.1",
          String(port),
        ],
        env: PEER_ENV,
      }).output();
      const log = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, log);
      assert.equal(log.match(/Received Echo Response \(Success\)/g)?.length, 3, log);
      assert.equal(await served, 3);
    } finally {
      await new Promise((r) => server.close(r));
    }
  },
});
