import assert from "node:assert/strict";
import { decodeServerHello, type ServerHelloInfo } from "./server_hello.ts";
import { firstMessage, type FixtureName } from "./_test_fixtures.ts";

function serverHello(name: FixtureName): ServerHelloInfo {
  const hello = decodeServerHello(firstMessage(name, "server_hello", "server"));
  if ("error" in hello) throw new Error(hello.error);
  return hello;
}

/** A ServerHello body with the given random and extensions. */
function body(random: number[], extensions: number[]): Uint8Array {
  return new Uint8Array([
    3,
    3,
    ...random,
    0,
    0x13,
    0x02,
    0,
    extensions.length >> 8,
    extensions.length & 0xff,
    ...extensions,
  ]);
}

Deno.test("decodeServerHello() reads the TLS 1.3 choice from supported_versions", () => {
  const hello = serverHello("echoscu_storescp_tls13");
  assert.equal(hello.legacyVersion.name, "TLSv1.2");
  assert.equal(hello.version.name, "TLSv1.3");
  assert.equal(hello.cipherSuite.name, "TLS_AES_256_GCM_SHA384");
  assert.equal(hello.selectedGroup?.name, "secp256r1");
  assert.equal(hello.helloRetryRequest, false);
});

Deno.test("decodeServerHello() reads TLS 1.2 and 1.0 choices from legacy_version", () => {
  const tls12 = serverHello("openssl_storescp_dhe_tls12");
  assert.equal(tls12.version.name, "TLSv1.2");
  assert.deepEqual(tls12.cipherSuite, {
    code: 0x009f,
    name: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    openssl: "DHE-RSA-AES256-GCM-SHA384",
  });
  const tls10 = serverHello("openssl_storescp_px_tls10");
  assert.equal(tls10.version.name, "TLSv1");
  assert.equal(tls10.cipherSuite.openssl, "AES128-SHA");
  assert.equal(tls10.secureRenegotiation, true);
});

Deno.test("decodeServerHello() recognises a HelloRetryRequest and the group it asks for", () => {
  const hrr = [
    0xcf,
    0x21,
    0xad,
    0x74,
    0xe5,
    0x9a,
    0x61,
    0x11,
    0xbe,
    0x1d,
    0x8c,
    0x02,
    0x1e,
    0x65,
    0xb8,
    0x91,
    0xc2,
    0xa2,
    0x11,
    0x16,
    0x7a,
    0xbb,
    0x8c,
    0x5e,
    0x07,
    0x9e,
    0x09,
    0xe2,
    0xc8,
    0xa8,
    0x33,
    0x9c,
  ];
  const hello = decodeServerHello(body(hrr, [0, 43, 0, 2, 3, 4, 0, 51, 0, 2, 0, 23]));
  assert.ok(!("error" in hello));
  assert.equal(hello.helloRetryRequest, true);
  assert.equal(hello.version.name, "TLSv1.3");
  assert.equal(hello.selectedGroup?.name, "secp256r1");
});

Deno.test("decodeServerHello() reports the RFC 8446 downgrade sentinel", () => {
  const random = [...new Array(24).fill(7), 0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 1];
  const hello = decodeServerHello(body(random, []));
  assert.ok(!("error" in hello));
  assert.equal(hello.downgradeSentinel, "TLSv1.3");
  assert.equal(hello.helloRetryRequest, false);
});

Deno.test("decodeServerHello() refuses a supported_versions with trailing bytes", () => {
  const result = decodeServerHello(body(new Array(32).fill(1), [0, 43, 0, 3, 3, 4, 0]));
  assert.deepEqual(result, { error: "supported_versions: 1 bytes after the value" });
});
