import assert from "node:assert/strict";
import { CIPHER_SUITES, findCipherSuite, nearestCipherSuite } from "./cipher_suites.ts";

Deno.test("findCipherSuite() maps an IANA name to OpenSSL's and back, case-insensitively", () => {
  assert.equal(findCipherSuite("TLS_RSA_WITH_AES_128_CBC_SHA")?.openssl, "AES128-SHA");
  assert.equal(findCipherSuite("aes128-sha")?.iana, "TLS_RSA_WITH_AES_128_CBC_SHA");
  assert.equal(
    findCipherSuite("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")?.openssl,
    "DHE-RSA-AES128-GCM-SHA256",
  );
  assert.equal(findCipherSuite("TLS_AES_128_GCM_SHA256")?.minVersion, "TLSv1.3");
});

Deno.test("findCipherSuite() knows no suite this OpenSSL cannot offer (3DES, RC4)", () => {
  assert.equal(findCipherSuite("TLS_RSA_WITH_3DES_EDE_CBC_SHA"), undefined);
  assert.equal(findCipherSuite("RC4-SHA"), undefined);
});

Deno.test("nearestCipherSuite() suggests the suite a misspelt name meant", () => {
  assert.equal(
    nearestCipherSuite("TLS_RSA_WITH_AES128_CBC_SHA").iana,
    "TLS_RSA_WITH_AES_128_CBC_SHA",
  );
  assert.equal(
    nearestCipherSuite("ECDHE-RSA-AES128-GCM-SHA").openssl,
    "ECDHE-RSA-AES128-GCM-SHA256",
  );
});

Deno.test("CIPHER_SUITES has unique codes and names", () => {
  assert.equal(new Set(CIPHER_SUITES.map((s) => s.code)).size, CIPHER_SUITES.length);
  assert.equal(new Set(CIPHER_SUITES.map((s) => s.iana)).size, CIPHER_SUITES.length);
  assert.equal(new Set(CIPHER_SUITES.map((s) => s.openssl)).size, CIPHER_SUITES.length);
});
