import assert from "node:assert/strict";
import { CIPHER_SUITES, cipherSuite, cipherSuiteRef } from "./cipher_suites.ts";

Deno.test("cipherSuite() finds a suite by code, IANA name and OpenSSL name alike", () => {
  const byCode = cipherSuite(0xc02f);
  assert.equal(byCode?.iana, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  assert.equal(byCode?.openssl, "ECDHE-RSA-AES128-GCM-SHA256");
  assert.equal(cipherSuite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), byCode);
  assert.equal(cipherSuite("ecdhe-rsa-aes128-gcm-sha256"), byCode);
  assert.equal(cipherSuite("NO-SUCH-SUITE"), undefined);
  assert.equal(cipherSuite(0x9999), undefined);
});

Deno.test("cipherSuite() describes algorithms and the versions a suite is valid in", () => {
  assert.deepEqual(cipherSuite("AES128-SHA"), {
    code: 0x002f,
    iana: "TLS_RSA_WITH_AES_128_CBC_SHA",
    openssl: "AES128-SHA",
    kx: "RSA",
    au: "RSA",
    enc: "AES",
    bits: 128,
    mac: "SHA1",
    export: false,
    versions: ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"],
    tls13: false,
    signaling: false,
  });
  assert.deepEqual(cipherSuite("TLS_AES_256_GCM_SHA384")?.versions, ["TLSv1.3"]);
  assert.deepEqual(cipherSuite("DHE-RSA-AES256-GCM-SHA384")?.versions, ["TLSv1.2"]);
  assert.equal(cipherSuite("DHE-RSA-AES256-GCM-SHA384")?.kx, "DH");
  assert.deepEqual(cipherSuite("EXP-RC4-MD5")?.versions, ["SSLv3", "TLSv1"]);
  assert.equal(cipherSuite("EXP-RC4-MD5")?.export, true);
});

Deno.test("CIPHER_SUITES covers the legacy families the prober must name", () => {
  const families = [
    "_3DES_",
    "_RC4_",
    "_NULL_",
    "_CAMELLIA_",
    "_ARIA_",
    "_CHACHA20_",
    "_CCM",
    "_EXPORT_",
  ];
  for (const family of families) {
    assert.ok(CIPHER_SUITES.some((s) => s.iana?.includes(family)), family);
  }
  assert.equal(CIPHER_SUITES.filter((s) => s.tls13).length >= 5, true);
  assert.equal(cipherSuite(0x00ff)?.signaling, true);
  assert.equal(cipherSuite("TLS_FALLBACK_SCSV")?.code, 0x5600);
  const codes = CIPHER_SUITES.map((s) => s.code);
  assert.deepEqual(codes, [...codes].sort((a, b) => a - b), "sorted by code");
  assert.equal(new Set(codes).size, codes.length, "one entry per code");
});

Deno.test("cipherSuiteRef() names GREASE and unknown codes instead of failing", () => {
  assert.deepEqual(cipherSuiteRef(0x1301), { code: 0x1301, name: "TLS_AES_128_GCM_SHA256" });
  assert.deepEqual(cipherSuiteRef(0xdada), { code: 0xdada, name: "GREASE", grease: true });
  assert.deepEqual(cipherSuiteRef(0x9999), { code: 0x9999, name: "unknown_0x9999" });
});
