import assert from "node:assert/strict";
import type { ClientHelloInfo, CodeName } from "../outcome/mod.ts";
import { cipherSuite } from "../tls/wire/mod.ts";
import { fullWire } from "../testing/full_wire.ts";
import { refusalCause } from "./refusal_cause.ts";

const suites = (...names: string[]): CodeName[] =>
  names.map((name) => ({ code: cipherSuite(name)!.code, name: cipherSuite(name)!.iana! }));

// The exemplar's hello with these versions and suites.
function hello(offeredVersions: string[], cipherSuites: CodeName[]): ClientHelloInfo {
  return { ...fullWire().clientHello!, offeredVersions, cipherSuites };
}

const modern = hello(
  ["TLSv1.3", "TLSv1.2"],
  suites("TLS_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
);

Deno.test("refusalCause() names no common version: a modern client against a TLS 1.0-only server", () => {
  assert.equal(
    refusalCause(modern, { stack: "openssl", tls: { min: "TLSv1", max: "TLSv1" } }),
    "no common TLS version: the client offered TLSv1.3, TLSv1.2; we accept TLSv1",
  );
});

Deno.test("refusalCause() names no common suite: chosen TLS 1.2 suites the client does not offer", () => {
  assert.equal(
    refusalCause(modern, {
      stack: "openssl",
      tls: { ciphers: ["AES128-SHA"] },
      keyType: "rsa",
    }),
    "no common cipher suite in TLSv1.2: the client offered TLS_AES_256_GCM_SHA384, " +
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; we accept TLS_RSA_WITH_AES_128_CBC_SHA",
  );
});

Deno.test("refusalCause() finds nothing when agreement was possible, or when our suites are OpenSSL's defaults", () => {
  assert.equal(refusalCause(modern, { stack: "rustls", tls: {}, keyType: "ec" }), undefined);
  assert.equal(refusalCause(modern, { stack: "openssl", tls: {} }), undefined);
});

Deno.test("refusalCause() knows rustls's TLS 1.2 suites follow the key: an RSA-only client against an EC key", () => {
  const old = hello(["TLSv1.2"], suites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
  assert.match(
    refusalCause(old, { stack: "rustls", tls: {}, keyType: "ec" })!,
    /^no common cipher suite in TLSv1\.2: the client offered TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; we accept TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, /,
  );
});
