import assert from "node:assert/strict";
import { Duplex } from "node:stream";
import { OpenSslError } from "./errors.ts";
import { openRequest } from "./options.ts";

const ciphertext = new Duplex();

Deno.test("openRequest() translates IANA names, keeps TLS 1.3 suites apart and sets security level 0", () => {
  const open = openRequest("client", {
    ciphertext,
    minVersion: "TLSv1",
    maxVersion: "TLSv1.3",
    ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"],
    ciphersuites: ["TLS_AES_128_GCM_SHA256"],
    groups: ["P-256", "ffdhe2048"],
    sigalgs: ["rsa_pss_rsae_sha256", "ECDSA+SHA1"],
    servername: "pacs.example",
  });
  assert.equal(
    open.context.ciphers,
    "TLS_AES_128_GCM_SHA256:AES128-SHA:ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0",
  );
  // The helper checks each named suite exists in its OpenSSL (a cipher list skips unknown ones).
  assert.deepEqual(open.context.named, [
    "TLS_AES_128_GCM_SHA256",
    "AES128-SHA",
    "ECDHE-ECDSA-AES128-SHA",
  ]);
  // Groups by IANA name, as OpenSSL spells them (it is case-sensitive; the names given need not be).
  assert.equal(open.context.groups, "secp256r1:ffdhe2048");
  assert.equal(open.context.sigalgs, "rsa_pss_rsae_sha256:ECDSA+SHA1");
  assert.equal(open.servername, "pacs.example");
  assert.equal(open.requestCert, undefined);
});

Deno.test("openRequest() defaults to TLS 1.2-1.3 and OpenSSL's DEFAULT suites at security level 0", () => {
  const open = openRequest("server", { ciphertext, requestCert: true, dhparam: "PEM" });
  assert.deepEqual(
    [open.context.minVersion, open.context.maxVersion, open.context.ciphers],
    ["TLSv1.2", "TLSv1.3", "DEFAULT:@SECLEVEL=0"],
  );
  assert.equal(open.requestCert, true);
  assert.equal(open.context.dhparam, "PEM");
});

Deno.test("openRequest() refuses bad input as a local error that names the value", () => {
  const local = (f: () => unknown, pattern: RegExp) =>
    assert.throws(
      f,
      (e) =>
        e instanceof OpenSslError && e.kind === "local" && e.phase === "input" &&
        pattern.test(e.message),
    );
  local(() => openRequest("client", { ciphertext, minVersion: "SSLv3" }), /no-ssl3/);
  local(
    () => openRequest("client", { ciphertext, minVersion: "TLSv1.3", maxVersion: "TLSv1" }),
    /above/,
  );
  local(
    () => openRequest("client", { ciphertext, ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA1"] }),
    /did you mean 'TLS_RSA_WITH_AES_128_CBC_SHA'\?/,
  );
  local(
    () => openRequest("client", { ciphertext, ciphers: ["TLS_AES_128_GCM_SHA256"] }),
    /TLS 1.3 suites go to ciphersuites/,
  );
  local(
    () => openRequest("client", { ciphertext, ciphersuites: ["AES128-SHA"] }),
    /TLS 1.2-and-older suites go to ciphers/,
  );
  local(
    () => openRequest("client", { ciphertext, groups: ["P-256:X25519"] }),
    /more than one name/,
  );
  local(
    () => openRequest("client", { ciphertext, ciphers: ["TLS_PSK_WITH_AES_128_GCM_SHA256"] }),
    /pre-shared key/,
  );
  local(
    () => openRequest("client", { ciphertext, ciphers: ["TLS_NULL_WITH_NULL_NULL"] }),
    /does not implement/,
  );
  local(
    () => openRequest("client", { ciphertext, ciphers: ["TLS_EMPTY_RENEGOTIATION_INFO_SCSV"] }),
    /signalling value/,
  );
});
