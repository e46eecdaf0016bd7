/**
 * Hostile input: every decoder and the observer take random bytes and
 * mutated real conversations without throwing, and their output stays
 * bounded.
 */
import assert from "node:assert/strict";
import { fc } from "../../testing/fast_check.ts";
import { decodeAlerts } from "./alert.ts";
import { decodeClientHello } from "./client_hello.ts";
import { classifyFirstBytes } from "./first_bytes.ts";
import { HandshakeReassembler, parseHandshakeStream } from "./handshake.ts";
import { WireObserver } from "./observer.ts";
import { parseRecordHeader, TlsRecordReader } from "./record.ts";
import { decodeServerHello } from "./server_hello.ts";
import {
  decodeCertificateMessage,
  decodeCertificateRequest,
  decodeServerKeyExchange,
} from "./server_messages.ts";
import { fixture, type FixtureName } from "./_test_fixtures.ts";

const NAMES: FixtureName[] = [
  "echoscu_storescp_tls13",
  "deno_storescp_tls12",
  "openssl_storescp_dhe_tls12",
  "openssl_storescp_px_tls10",
  "openssl_storescp_untrusted_tls12",
];
const streams = NAMES.flatMap((n) => [fixture(n).client, fixture(n).server]);
const bodies = streams.flatMap((s) => parseHandshakeStream(s).messages.map((m) => m.body));

/** A real stream or handshake body with a few bytes changed and maybe cut short. */
function mutated(sources: Uint8Array[]) {
  return fc.tuple(
    fc.integer({ min: 0, max: sources.length - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    fc.option(fc.nat()),
  ).map(([i, edits, cut]) => {
    const bytes = sources[i].slice();
    for (const [at, value] of edits) if (bytes.length) bytes[at % bytes.length] = value;
    return cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
  });
}
const anyBody = fc.oneof(fc.uint8Array({ maxLength: 600 }), mutated(bodies));
const anyStream = fc.oneof(fc.uint8Array({ maxLength: 2000 }), mutated(streams));

const resultOrError = (r: unknown) =>
  assert.ok(typeof r === "object" && r !== null, "an object or array");

Deno.test("hello and server message decoders return a value or { error } for any body", () => {
  fc.assert(
    fc.property(
      anyBody,
      fc.constantFrom("DH", "ECDH", "DHEPSK", "ECDHEPSK", "RSA(512)", "PSK"),
      (body, kx) => {
        resultOrError(decodeClientHello(body));
        resultOrError(decodeServerHello(body));
        resultOrError(decodeCertificateMessage(body));
        resultOrError(decodeCertificateMessage(body, { tls13: true }));
        resultOrError(decodeServerKeyExchange(body, { kx, withSignatureAlgorithm: true }));
        resultOrError(decodeCertificateRequest(body, { withSignatureAlgorithms: true }));
        resultOrError(decodeAlerts(body));
        const first = classifyFirstBytes(body);
        assert.ok(first.hex.length <= 64 && first.description.length < 200);
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("record and handshake readers take any stream in any chunking without throwing", () => {
  fc.assert(
    fc.property(anyStream, fc.integer({ min: 1, max: 50 }), (stream, chunk) => {
      parseRecordHeader(stream);
      parseHandshakeStream(stream);
      const reader = new TlsRecordReader();
      const reassembler = new HandshakeReassembler({ maxLength: 4096 });
      for (let at = 0; at < stream.length; at += chunk) {
        for (const record of reader.push(stream.subarray(at, at + chunk))) {
          if (record.body && record.header.contentType === 22) reassembler.push(record.body);
        }
        assert.ok(reassembler.buffered <= 4096 + 4);
      }
    }),
    { numRuns: 1000 },
  );
});

Deno.test("WireObserver takes any bytes both ways and its observation stays bounded", () => {
  fc.assert(
    fc.property(anyStream, anyStream, (sent, received) => {
      const observer = new WireObserver({ role: "client" });
      observer.sent(sent);
      observer.received(received.subarray(0, 700));
      observer.received(received.subarray(700));
      observer.peerClosed("reset", "read ECONNRESET");
      const o = observer.observation();
      assert.ok(o.records.length <= 64 && o.alerts.length <= 16 && o.errors.length <= 8);
      assert.ok(o.received.firstBytes.length <= 64);
      assert.ok(JSON.stringify(o).length < 512 * 1024);
    }),
    { numRuns: 500 },
  );
});

Deno.test("WireObserver does bounded work on a megabyte of one-byte records", () => {
  const observer = new WireObserver({ role: "server" });
  const record = new Uint8Array([22, 3, 3, 0, 1, 1]);
  const started = performance.now();
  for (let i = 0; i < 200_000; i++) observer.received(record);
  const o = observer.observation();
  assert.equal(o.received.records, 200_000);
  assert.equal(o.records.length, 64);
  assert.ok(performance.now() - started < 5000, "well under a second per 100k records");
});
