import assert from "node:assert/strict";
import { decodeClientHello } from "./client_hello.ts";
import type { ClientHelloInfo } from "./client_hello.ts";
import { firstMessage, type FixtureName } from "./_test_fixtures.ts";

function clientHello(name: FixtureName): ClientHelloInfo {
  const hello = decodeClientHello(firstMessage(name, "client_hello", "client"));
  if ("error" in hello) throw new Error(hello.error);
  return hello;
}

Deno.test("decodeClientHello() reads echoscu's TLS 1.3 hello: versions, NIST groups, no SNI", () => {
  const hello = clientHello("echoscu_storescp_tls13");
  assert.equal(hello.legacyVersion.name, "TLSv1.2");
  assert.deepEqual(hello.offeredVersions, ["TLSv1.3", "TLSv1.2"]);
  assert.equal(hello.serverName, undefined);
  assert.equal(hello.supportedGroups?.[0].name, "secp256r1");
  assert.ok(!hello.supportedGroups?.some((g) => g.name === "x25519"), "DCMTK offers no X25519");
  assert.deepEqual(hello.keyShares?.map((g) => g.name), ["secp256r1"]);
  assert.ok(hello.cipherSuites.some((s) => s.name === "TLS_AES_256_GCM_SHA384"));
  assert.equal(hello.sessionIdLength, 32);
  assert.deepEqual(hello.compressionMethods, [0]);
  assert.ok(hello.signatureAlgorithms!.length > 0);
});

Deno.test("decodeClientHello() reads Deno's TLS 1.2 hello: only TLS 1.2, rustls's suites", () => {
  const hello = clientHello("deno_storescp_tls12");
  assert.deepEqual(hello.offeredVersions, ["TLSv1.2"]);
  assert.ok(hello.cipherSuites.every((s) => !s.name.startsWith("unknown")));
  assert.ok(hello.cipherSuites.some((s) => s.name === "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
  assert.deepEqual(hello.supportedGroups?.map((g) => g.name), ["x25519", "secp256r1", "secp384r1"]);
  assert.equal(hello.extendedMasterSecret, true);
});

Deno.test("decodeClientHello() reads OpenSSL's TLS 1.0 hello without supported_versions: its newest version, older ones not known", () => {
  const hello = clientHello("openssl_storescp_px_tls10");
  assert.equal(hello.supportedVersions, undefined);
  // legacy_version names the newest only; SSL 3.0 was never offered, nor ruled out.
  assert.deepEqual(hello.offeredVersions, ["TLSv1"]);
  assert.equal(hello.olderVersionsUnknown, true);
  assert.deepEqual(hello.cipherSuites.map((s) => s.name), [
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
  ]);
  assert.equal(hello.secureRenegotiation, true);
});

Deno.test("decodeClientHello() gives an error for a truncated hello", () => {
  const body = firstMessage("echoscu_storescp_tls13", "client_hello", "client");
  const result = decodeClientHello(body.subarray(0, 50));
  assert.ok("error" in result);
  assert.equal(result.error, "ClientHello: legacy_session_id needs 32 bytes at offset 35, 15 left");
});
