import assert from "node:assert/strict";
import { HandshakeReassembler, parseHandshakeStream } from "./handshake.ts";
import { fixture } from "./_test_fixtures.ts";

Deno.test("parseHandshakeStream() reads a TLS 1.2 server flight up to its ChangeCipherSpec", () => {
  const stream = parseHandshakeStream(fixture("deno_storescp_tls12").server);
  assert.deepEqual(stream.messages.map((m) => m.typeName), [
    "server_hello",
    "certificate",
    "server_key_exchange",
    "certificate_request",
    "server_hello_done",
    "new_session_ticket",
  ]);
  assert.equal(stream.error, undefined);
  assert.deepEqual(stream.alerts, []);
});

Deno.test("parseHandshakeStream() keeps a plaintext alert", () => {
  const stream = parseHandshakeStream(fixture("openssl_storescp_untrusted_tls12").server);
  assert.deepEqual(stream.alerts, [new Uint8Array([2, 48])]);
});

Deno.test("HandshakeReassembler joins messages split over one-byte records", () => {
  const messages = parseHandshakeStream(fixture("deno_storescp_tls12").server).messages;
  const joined = new Uint8Array(messages.reduce((n, m) => n + 4 + m.body.length, 0));
  let at = 0;
  for (const m of messages) {
    joined.set(
      [m.type, m.body.length >> 16, (m.body.length >> 8) & 0xff, m.body.length & 0xff],
      at,
    );
    joined.set(m.body, at + 4);
    at += 4 + m.body.length;
  }
  const reassembler = new HandshakeReassembler();
  const out = [];
  for (const b of joined) out.push(...reassembler.push(new Uint8Array([b])));
  assert.deepEqual(out.map((m) => m.typeName), messages.map((m) => m.typeName));
  assert.deepEqual(out.map((m) => m.body), messages.map((m) => m.body));
  assert.equal(reassembler.buffered, 0);
});

Deno.test("HandshakeReassembler refuses a message over its bound before buffering it", () => {
  const reassembler = new HandshakeReassembler({ maxLength: 1000 });
  assert.deepEqual(reassembler.push(new Uint8Array([11, 0, 0x10, 0x00, 1, 2, 3])), []);
  assert.equal(
    reassembler.error,
    "handshake message certificate declares 4096 bytes, over the 1000 we read",
  );
  assert.equal(reassembler.buffered, 4);
  assert.deepEqual(reassembler.push(new Uint8Array([14, 0, 0, 0])), []);
});
