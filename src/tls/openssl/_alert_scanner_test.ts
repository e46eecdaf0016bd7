import assert from "node:assert/strict";
import { AlertScanner } from "./_alert_scanner.ts";

const handshake = [22, 3, 1, 0, 4, 1, 0, 0, 0];

Deno.test("AlertScanner finds a fatal alert in the clear after other records, split anywhere", () => {
  const bytes = new Uint8Array([...handshake, 21, 3, 3, 0, 2, 2, 70]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const scanner = new AlertScanner();
    scanner.push(bytes.subarray(0, cut));
    scanner.push(bytes.subarray(cut));
    assert.deepEqual(scanner.fatal, { name: "protocol_version", code: 70 }, `cut at ${cut}`);
  }
});

Deno.test("AlertScanner ignores warnings and encrypted alerts", () => {
  const scanner = new AlertScanner();
  scanner.push(new Uint8Array([21, 3, 3, 0, 2, 1, 0])); // warning close_notify
  scanner.push(new Uint8Array([21, 3, 3, 0, 26, ...new Array(26).fill(7)])); // encrypted
  assert.equal(scanner.fatal, undefined);
  assert.equal(scanner.stopped, false);
});

Deno.test("AlertScanner stops at bytes that are not TLS and never reports from them", () => {
  const scanner = new AlertScanner();
  scanner.push(new TextEncoder().encode("GET / HTTP/1.1\r\n"));
  scanner.push(new Uint8Array([21, 3, 3, 0, 2, 2, 40]));
  assert.equal(scanner.stopped, true);
  assert.equal(scanner.fatal, undefined);
});
