/**
 * probeHello() against in-process loopback servers that answer with
 * captured bytes, an alert, a close, a reset, HTTP, or silence.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { buildClientHello } from "./client_hello_builder.ts";
import { probeHello } from "./probe.ts";
import { fixture } from "./_test_fixtures.ts";

const hello = buildClientHello({
  version: "TLSv1.2",
  cipherSuites: ["ECDHE-RSA-AES256-GCM-SHA384"],
});

/** A server that runs `answer` once the first bytes of a connection came. */
async function answering(answer: (socket: net.Socket) => void) {
  const srv = net.createServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", () => answer(socket));
  });
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", () => resolve()));
  return { port: (srv.address() as net.AddressInfo).port, close: () => srv.close() };
}

async function probe(answer: (socket: net.Socket) => void, timeoutMs = 2000) {
  const srv = await answering(answer);
  try {
    return await probeHello({ host: "127.0.0.1", port: srv.port, hello, timeoutMs });
  } finally {
    srv.close();
  }
}

Deno.test("probeHello() reads a TLS 1.2 answer up to ServerHelloDone: suite, chain, key exchange", async () => {
  const flight = fixture("deno_storescp_tls12").server;
  // Sent in small pieces: the probe must reassemble, not rely on one read.
  const result = await probe((socket) => {
    for (let at = 0; at < flight.length; at += 300) socket.write(flight.subarray(at, at + 300));
  });
  assert.equal(result.status, "server-hello");
  assert.equal(result.peerSent, "tls");
  assert.equal(result.serverHello?.cipherSuite.name, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
  assert.equal(result.observation.serverCertificates?.length, 2);
  assert.equal(result.observation.serverKeyExchange?.kind, "ecdhe");
  assert.ok(result.observation.certificateRequest);
});

Deno.test("probeHello() reports a plaintext alert as the refusal", async () => {
  const result = await probe((socket) => socket.end(new Uint8Array([21, 3, 3, 0, 2, 2, 40])));
  assert.equal(result.status, "alert");
  assert.deepEqual(result.alert, {
    level: "fatal",
    description: { name: "handshake_failure", code: 40 },
  });
});

Deno.test("probeHello() tells a close without a byte from a reset", async () => {
  const closed = await probe((socket) => socket.end());
  assert.equal(closed.status, "closed");
  assert.equal(closed.peerSent, "nothing");
  assert.equal(closed.peerClosed, "fin");
  const reset = await probe((socket) => socket.resetAndDestroy());
  assert.equal(reset.status, "closed");
  assert.equal(reset.peerClosed, "reset");
});

Deno.test("probeHello() says what a server that does not speak TLS answered", async () => {
  const abort = await probe((socket) => socket.end(new Uint8Array([7, 0, 0, 0, 0, 4, 0, 0, 0, 0])));
  assert.equal(abort.status, "not-tls");
  assert.equal(abort.peerSent, "non-tls");
  assert.equal(
    abort.firstBytes?.description,
    "a DICOM A-ABORT (service-user, reason-not-specified)",
  );
  const http = await probe((socket) => socket.end("HTTP/1.0 400 Bad Request\r\n\r\n"));
  assert.equal(http.firstBytes?.kind, "http");
});

Deno.test("probeHello() gives up on silence at its deadline", async () => {
  const started = performance.now();
  const result = await probe(() => {}, 200);
  assert.equal(result.status, "timeout");
  assert.equal(result.peerSent, "nothing");
  assert.ok(performance.now() - started < 1500);
});

Deno.test("probeHello() reports a refused TCP connection", async () => {
  const srv = await answering(() => {});
  const port = srv.port;
  srv.close();
  await new Promise((r) => setTimeout(r, 50));
  const result = await probeHello({ host: "127.0.0.1", port, hello, timeoutMs: 2000 });
  assert.equal(result.status, "tcp-error");
  assert.match(result.error ?? "", /ECONNREFUSED|refused/i);
});

Deno.test("probeHello() stops reading at maxBytes", async () => {
  const record = new Uint8Array([22, 3, 3, 0x40, 0, ...new Uint8Array(0x4000)]);
  const srv = await answering((socket) => {
    const pump = () => {
      while (!socket.destroyed && socket.write(record));
      if (!socket.destroyed) socket.once("drain", pump);
    };
    pump();
  });
  const result = await probeHello({
    host: "127.0.0.1",
    port: srv.port,
    hello,
    timeoutMs: 3000,
    maxBytes: 100_000,
  });
  srv.close();
  assert.ok(result.observation.received.bytes >= 100_000);
  assert.ok(result.observation.received.bytes < 1_000_000);
  // HelloRequests without end (a record of zeros): no answer to the hello.
  assert.equal(result.status, "invalid");
  assert.equal(result.error, "stopped after 100000 bytes without a ServerHello or a fatal alert");
});

Deno.test("probeHello() stops at a fatal alert after the ServerHello, without waiting for a close", async () => {
  // A ServerHello, then handshake_failure, and the connection left open.
  const serverHello = [2, 0, 0, 38, 3, 3, ...new Uint8Array(32), 0, 0xc0, 0x30, 0];
  const flight = [22, 3, 3, 0, serverHello.length, ...serverHello, 21, 3, 3, 0, 2, 2, 40];
  const result = await probe((socket) => socket.write(new Uint8Array(flight)), 3000);
  assert.equal(result.status, "server-hello");
  assert.equal(result.alert?.description.name, "handshake_failure");
  assert.ok(result.durationMs < 1500, `${result.durationMs} ms: it waited for the deadline`);
});
