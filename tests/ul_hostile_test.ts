/**
 * Hostile and odd peers at the upper layer, over plain TCP on 127.0.0.1: each
 * ends within the timeout with a typed error, and the peer sees the A-ABORT
 * PS3.8 calls for.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { cEcho } from "../src/dimse/mod.ts";
import type { PduTrace } from "../src/outcome/mod.ts";
import {
  acceptAssociation,
  type Association,
  AssociationAborted,
  AssociationRejected,
  AssociationTimeout,
  concatBytes,
  ConnectionClosed,
  decodePdu,
  encodePdu,
  IMPLICIT_VR_LITTLE_ENDIAN,
  type Pdu,
  PduError,
  PduFramer,
  PduLengthExceeded,
  ProtocolError,
  requestAssociation,
  VERIFICATION_SOP_CLASS,
} from "../src/ul/mod.ts";

const AC_HEX: string = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/pdu/echo.json", import.meta.url)),
).pdus[1].hex;
const AC = Uint8Array.from(AC_HEX.match(/../g)!, (h) => parseInt(h, 16));

/** A peer that runs `script` on each connection and records the PDUs it receives. */
async function scriptedPeer(script: (socket: net.Socket, pdu: Pdu, index: number) => void) {
  const received: Pdu[] = [];
  const sockets = new Set<net.Socket>();
  let ended!: () => void;
  const disconnected = new Promise<void>((r) => (ended = r));
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", ended);
    const framer = new PduFramer({ maxLength: 1 << 20 });
    socket.on("error", () => {});
    socket.on("data", (chunk: Uint8Array) => {
      for (const bytes of framer.push(chunk)) {
        const pdu = decodePdu(bytes);
        if (pdu instanceof PduError) throw pdu;
        received.push(pdu);
        script(socket, pdu, received.length - 1);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    /** Resolves once the first connection closed: everything we sent has arrived. */
    disconnected,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

function connect(port: number): net.Socket {
  return net.connect({ host: "127.0.0.1", port, noDelay: true });
}

const verification = [{
  abstractSyntax: VERIFICATION_SOP_CLASS,
  transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
}];

function request(
  port: number,
  timeoutMs = 2000,
  onPdu?: (t: PduTrace) => void,
): Promise<Association> {
  return requestAssociation({
    onPdu,
    socket: connect(port),
    callingAe: "DICOMTLS",
    calledAe: "STORESCP",
    presentationContexts: verification,
    timeoutMs,
    artimMs: 500,
  });
}

Deno.test("requestAssociation() times out in Sta5 against a peer that never answers, and aborts", async () => {
  const peer = await scriptedPeer(() => {});
  const error = await request(peer.port, 300).catch((e) => e);
  assert.ok(error instanceof AssociationTimeout, String(error));
  assert.equal(error.state, "Sta5");
  assert.equal(error.waitingFor, "A-ASSOCIATE-AC");
  await peer.close();
});

Deno.test("requestAssociation() refuses a declared 4 GiB PDU before buffering it and aborts with invalid-pdu-parameter-value", async () => {
  const peer = await scriptedPeer((socket) =>
    socket.write(Uint8Array.of(2, 0, 0xff, 0xff, 0xff, 0xff, 0, 1))
  );
  const error = await request(peer.port).catch((e) => e);
  assert.ok(error instanceof PduLengthExceeded, String(error));
  assert.equal(error.declaredLength, 0xffffffff);
  await peer.disconnected;
  assert.deepEqual(peer.received.at(-1), {
    type: "A-ABORT",
    source: "service-provider",
    reason: "invalid-pdu-parameter-value",
  });
  await peer.close();
});

Deno.test("requestAssociation() rejects a malformed A-ASSOCIATE-AC with a PduError and aborts", async () => {
  const broken = AC.slice();
  broken[74 + 3] = 0xff; // the application context item's length runs past the end
  const peer = await scriptedPeer((socket) => socket.write(broken));
  const error = await request(peer.port).catch((e) => e);
  assert.ok(error instanceof PduError, String(error));
  assert.equal(error.reason, "invalid-pdu-parameter-value");
  await peer.disconnected;
  assert.equal(peer.received.at(-1)?.type, "A-ABORT");
  await peer.close();
});

Deno.test("a flood of invalid PDUs gets one A-ABORT and one trace, in both roles: the rest is dropped unread", async (t) => {
  // P-DATA-TF headers without a PDV: each frames as a whole PDU that does not
  // decode. Answered one by one (AA-7 in Sta13), they made one A-ABORT and
  // two traces per 6 bytes, without end.
  const flood = new Uint8Array(6 * 2_000);
  for (let at = 0; at < flood.length; at += 6) flood[at] = 0x04;
  const abortsIn = (bytes: Uint8Array[]) =>
    new PduFramer({ maxLength: 1 << 20 }).push(concatBytes(bytes)).map(decodePdu)
      .filter((p) => !(p instanceof PduError) && p.type === "A-ABORT").length;

  await t.step("requestor", async () => {
    const got: Uint8Array[] = [];
    const server = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.on("data", (chunk: Uint8Array) => got.push(chunk));
      socket.once("data", () => socket.write(flood));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const traces: PduTrace[] = [];
    const error = await request(
      (server.address() as net.AddressInfo).port,
      2000,
      (t) => traces.push(t),
    ).catch((e) => e);
    assert.ok(error instanceof PduError, String(error));
    assert.equal(error.message, "Cannot decode PDU: P-DATA-TF has no PDV item");
    assert.deepEqual(traces.map((t) => `${t.direction} ${t.type}`), [
      "sent A-ASSOCIATE-RQ",
      "received P-DATA-TF",
      "sent A-ABORT",
    ]);
    await new Promise((r) => server.close(r));
    assert.equal(abortsIn(got), 1);
  });

  await t.step("acceptor", async () => {
    const traces: PduTrace[] = [];
    let result!: Promise<unknown>;
    const server = net.createServer((socket) => {
      result = acceptAssociation({
        socket,
        timeoutMs: 2000,
        artimMs: 500,
        onPdu: (t) => traces.push(t),
      }).catch((e) => e);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const client = connect((server.address() as net.AddressInfo).port);
    const got: Uint8Array[] = [];
    client.on("data", (chunk: Uint8Array) => got.push(chunk));
    client.on("error", () => {});
    const closed = new Promise((r) => client.on("close", r));
    await new Promise((r) => client.on("connect", r));
    client.write(flood);
    while (!result) await new Promise((r) => setTimeout(r, 10));
    const error = await result;
    assert.ok(error instanceof PduError, String(error));
    assert.deepEqual(traces.map((t) => `${t.direction} ${t.type}`), [
      "received P-DATA-TF",
      "sent A-ABORT",
    ]);
    client.end();
    await closed;
    await new Promise((r) => server.close(r));
    assert.equal(abortsIn(got), 1);
  });
});

Deno.test("cEcho() fails with AssociationAborted when the peer aborts after association", async () => {
  const peer = await scriptedPeer((socket, pdu) => {
    if (pdu.type === "A-ASSOCIATE-RQ") socket.write(AC);
    else {socket.write(
        encodePdu({ type: "A-ABORT", source: "service-user", reason: "reason-not-specified" }),
      );}
  });
  const association = await request(peer.port);
  const error = await cEcho(association, { timeoutMs: 2000 }).catch((e) => e);
  assert.ok(error instanceof AssociationAborted, String(error));
  assert.deepEqual([error.source, error.reason, error.by, error.state], [
    "service-user",
    "reason-not-specified",
    "peer",
    "Sta6",
  ]);
  await association.closed;
  assert.equal(association.state, "Sta1");
  await peer.close();
});

Deno.test("an A-ASSOCIATE-AC in Sta6 is a ProtocolError answered with A-ABORT unexpected-pdu (AA-8)", async () => {
  const peer = await scriptedPeer((socket) => socket.write(AC));
  const association = await request(peer.port);
  const error = await cEcho(association, { timeoutMs: 2000 }).catch((e) => e);
  assert.ok(error instanceof ProtocolError, String(error));
  assert.deepEqual([error.state, error.event], ["Sta6", "Evt3"]);
  await association.abort();
  await peer.disconnected;
  assert.deepEqual(peer.received.at(-1), {
    type: "A-ABORT",
    source: "service-provider",
    reason: "unexpected-pdu",
  });
  await peer.close();
});

Deno.test("a peer that closes mid-association gives ConnectionClosed (A-P-ABORT, AA-4)", async () => {
  const peer = await scriptedPeer((socket, pdu) => {
    if (pdu.type === "A-ASSOCIATE-RQ") socket.write(AC);
    else socket.destroy();
  });
  const association = await request(peer.port);
  const error = await cEcho(association, { timeoutMs: 2000 }).catch((e) => e);
  assert.ok(error instanceof ConnectionClosed, String(error));
  assert.equal(error.state, "Sta6");
  await peer.close();
});

/** Our requestor against our acceptor on loopback. */
async function pair(decide?: Parameters<typeof acceptAssociation>[0]["decide"]) {
  let accepted!: Promise<Association>;
  const sent = { requestor: [] as string[], acceptor: [] as string[] };
  const server = net.createServer({ noDelay: true }, (socket) => {
    accepted = acceptAssociation({
      socket,
      decide,
      timeoutMs: 2000,
      artimMs: 500,
      onPdu: (t) => t.direction === "sent" && sent.acceptor.push(t.type),
    });
    accepted.catch(() => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  const requested = request(
    port,
    2000,
    (t) => t.direction === "sent" && sent.requestor.push(t.type),
  );
  await requested.catch(() => {});
  return {
    requested,
    sent,
    accepted: () => accepted,
    close: () => new Promise((r) => server.close(r)),
  };
}

Deno.test("acceptAssociation() rejects with the PS3.8 names its decide() gives, and both sides see them", async () => {
  const p = await pair(() => ({
    accept: false,
    result: "rejected-permanent",
    source: "service-user",
    reason: "called-ae-title-not-recognized",
  }));
  const [ours, theirs] = [await p.requested.catch((e) => e), await p.accepted().catch((e) => e)];
  for (const e of [ours, theirs]) {
    assert.ok(e instanceof AssociationRejected, String(e));
    assert.deepEqual([e.result, e.source, e.reason], [
      "rejected-permanent",
      "service-user",
      "called-ae-title-not-recognized",
    ]);
  }
  await p.close();
});

Deno.test("release() completes on both sides of a release collision", async () => {
  const p = await pair();
  const [requestor, acceptor] = [await p.requested, await p.accepted()];
  await Promise.all([requestor.release(), acceptor.release()]);
  assert.ok(requestor.released && acceptor.released);
  assert.deepEqual([requestor.state, acceptor.state], ["Sta1", "Sta1"]);
  // Both asked, both answered: a real collision (Sta9/Sta11 and Sta10/Sta12).
  assert.deepEqual(p.sent.requestor, ["A-ASSOCIATE-RQ", "A-RELEASE-RQ", "A-RELEASE-RP"]);
  assert.deepEqual(p.sent.acceptor, ["A-ASSOCIATE-AC", "A-RELEASE-RQ", "A-RELEASE-RP"]);
  await p.close();
});

Deno.test("acceptAssociation() gives up when ARTIM expires before any A-ASSOCIATE-RQ", async () => {
  let result!: Promise<unknown>;
  const server = net.createServer((socket) => {
    result = acceptAssociation({ socket, timeoutMs: 200 }).catch((e) => e);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const client = connect((server.address() as net.AddressInfo).port);
  const closed = new Promise((r) => client.on("close", r));
  client.on("error", () => {});
  await new Promise((r) => client.on("connect", r));
  while (!result) await new Promise((r) => setTimeout(r, 10));
  const error = await result;
  assert.ok(error instanceof AssociationTimeout, String(error));
  assert.equal(error.state, "Sta2");
  await closed; // the acceptor closed the connection (AA-2)
  await new Promise((r) => server.close(r));
});
