import assert from "node:assert/strict";
import { classifyFirstBytes } from "./first_bytes.ts";
import { fixture } from "./_test_fixtures.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("classifyFirstBytes() decodes the AE titles of a plaintext A-ASSOCIATE-RQ (echoscu)", () => {
  const first = classifyFirstBytes(fixture("echoscu_plain_to_tls_port").client);
  assert.equal(first.kind, "dicom-pdu");
  assert.equal(first.pdu?.type, "A-ASSOCIATE-RQ");
  assert.equal(first.pdu?.callingAe, "PLAINSCU");
  assert.equal(first.pdu?.calledAe, "STORESCP");
  assert.equal(
    first.description,
    'a DICOM A-ASSOCIATE-RQ (calling AE "PLAINSCU", called AE "STORESCP")',
  );
  assert.equal(first.hex.length, 64);
});

Deno.test("classifyFirstBytes() reads the AE titles before the whole A-ASSOCIATE-RQ arrived", () => {
  const first = classifyFirstBytes(fixture("echoscu_plain_to_tls_port").client.subarray(0, 60));
  assert.equal(first.pdu?.callingAe, "PLAINSCU");
});

Deno.test("classifyFirstBytes() decodes A-ABORT and A-ASSOCIATE-RJ reasons", () => {
  const abort = classifyFirstBytes(new Uint8Array([7, 0, 0, 0, 0, 4, 0, 0, 2, 2]));
  assert.deepEqual(abort.pdu, {
    type: "A-ABORT",
    length: 4,
    abort: { source: "service-provider", reason: "unexpected-pdu" },
  });
  const reject = classifyFirstBytes(new Uint8Array([3, 0, 0, 0, 0, 4, 0, 1, 1, 3]));
  assert.equal(
    reject.description,
    "a DICOM A-ASSOCIATE-RJ (rejected-permanent, service-user, calling-ae-title-not-recognized)",
  );
});

Deno.test("classifyFirstBytes() recognises TLS, SSLv2, HTTP and SSH", () => {
  assert.equal(classifyFirstBytes(fixture("echoscu_storescp_tls13").server).kind, "tls");
  assert.equal(
    classifyFirstBytes(fixture("echoscu_storescp_tls13").client).description,
    "a TLS handshake record (TLSv1)",
  );
  const http = classifyFirstBytes(text("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
  assert.equal(http.kind, "http");
  assert.equal(http.startLine, "HTTP/1.1 400 Bad Request");
  assert.equal(classifyFirstBytes(text("GET / HTTP/1.1\r\n")).kind, "http");
  assert.equal(
    classifyFirstBytes(text("SSH-2.0-OpenSSH_9.2p1\r\n")).banner,
    "SSH-2.0-OpenSSH_9.2p1",
  );
  assert.equal(classifyFirstBytes(new Uint8Array([0x80, 0x2e, 1, 3, 1, 0, 0x15])).kind, "sslv2");
  // SERVER-HELLO: no session id hit, an X.509 certificate, version 2.
  assert.equal(
    classifyFirstBytes(new Uint8Array([0x80, 0x2e, 4, 0, 1, 0, 2, 1, 0])).description,
    "an SSLv2 ServerHello (an SSLv2-only server)",
  );
});

Deno.test("classifyFirstBytes() calls implausible PDUs and noise unknown, with printable text only", () => {
  // A-ABORT must be 4 bytes long; P-DATA-TF under 6 is not a PDU.
  assert.equal(classifyFirstBytes(new Uint8Array([7, 0, 0, 0, 0, 9, 0, 0, 0, 0])).kind, "unknown");
  assert.equal(classifyFirstBytes(new Uint8Array([4, 0, 0, 0, 0, 2, 0, 0])).kind, "unknown");
  assert.equal(classifyFirstBytes(new Uint8Array(0)).description, "no bytes");
  const evil = classifyFirstBytes(text("GET /\x1b[31m HTTP/1.1\r\n"));
  assert.equal(evil.startLine, "GET /\\x1b[31m HTTP/1.1");
});
