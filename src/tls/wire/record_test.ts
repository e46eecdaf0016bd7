import assert from "node:assert/strict";
import { MAX_RECORD_LENGTH, parseRecordHeader, TlsRecordReader } from "./record.ts";
import { fixture } from "./_test_fixtures.ts";

Deno.test("parseRecordHeader() reads a handshake record header", () => {
  assert.deepEqual(parseRecordHeader(new Uint8Array([22, 3, 1, 0x02, 0x00])), {
    contentType: 22,
    contentTypeName: "handshake",
    version: { code: 0x0301, name: "TLSv1" },
    length: 512,
  });
});

Deno.test("parseRecordHeader() waits for 5 bytes and refuses what cannot be TLS", () => {
  assert.equal(parseRecordHeader(new Uint8Array([22, 3])), undefined);
  assert.equal(parseRecordHeader(new Uint8Array([22, 3, 3, 0])), undefined);
  // The first byte alone can rule TLS out.
  assert.deepEqual(parseRecordHeader(new Uint8Array([0x47])), {
    error: "not a TLS record: content type 71",
  });
  assert.deepEqual(parseRecordHeader(new Uint8Array([1, 0, 0, 0, 0xcd])), {
    error: "not a TLS record: content type 1",
  });
  assert.deepEqual(parseRecordHeader(new Uint8Array([22, 3, 5, 0, 1])), {
    error: "not a TLS record: version 0x0305",
  });
  assert.deepEqual(parseRecordHeader(new Uint8Array([23, 3, 3, 0xff, 0xff])), {
    error: `not a TLS record: length 65535 over ${MAX_RECORD_LENGTH}`,
  });
});

Deno.test("TlsRecordReader splits a real stream into the same records whatever the chunking", () => {
  const { server } = fixture("deno_storescp_tls12");
  const whole = new TlsRecordReader().push(server).map((r) => r.header.contentTypeName);
  assert.deepEqual(whole.slice(0, 6), [
    "handshake",
    "handshake",
    "handshake",
    "handshake",
    "handshake",
    "handshake",
  ]);
  for (const size of [1, 3, 7, 100]) {
    const reader = new TlsRecordReader();
    const names: string[] = [];
    for (let at = 0; at < server.length; at += size) {
      names.push(
        ...reader.push(server.subarray(at, at + size)).map((r) => r.header.contentTypeName),
      );
    }
    assert.deepEqual(names, whole, `chunks of ${size}`);
    assert.equal(reader.midRecord, false);
  }
});

Deno.test("TlsRecordReader skips bodies it is not asked for and keeps the others", () => {
  const { server } = fixture("echoscu_storescp_tls13");
  const records = new TlsRecordReader({ wantBody: (h) => h.contentType !== 23 }).push(server);
  assert.ok(records.length > 3);
  for (const r of records) {
    assert.equal(r.body === undefined, r.header.contentType === 23);
    if (r.body) assert.equal(r.body.length, r.header.length);
  }
});

Deno.test("TlsRecordReader stops at the first byte that is not TLS and says why", () => {
  const reader = new TlsRecordReader();
  const bytes = new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n");
  assert.deepEqual(reader.push(bytes), []);
  assert.equal(reader.error, "not a TLS record: content type 71");
  assert.deepEqual(reader.push(new Uint8Array([22, 3, 3, 0, 0])), []);
});

Deno.test("TlsRecordReader completes zero-length records", () => {
  const reader = new TlsRecordReader();
  const records = reader.push(new Uint8Array([23, 3, 3, 0, 0, 23, 3, 3, 0, 1, 9]));
  assert.deepEqual(records.map((r) => r.header.length), [0, 1]);
});
