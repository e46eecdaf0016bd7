import assert from "node:assert/strict";
import { CIPHER_SUITES } from "../wire/cipher_suites.ts";
import { opensslNames, type TlsNameList, tlsNameList, tlsNameProblem } from "./names.ts";

const flags = { spell: (list: TlsNameList) => `--${list}` };

// The problem of a list as `message (hint: hint)`, or "" when every name is known.
function problem(list: TlsNameList, names: string[]): string {
  const p = tlsNameProblem(list, names, flags);
  return p ? `${p.index}: ${p.message} (hint: ${p.hint})` : "";
}

Deno.test("suites are known by IANA and OpenSSL name in any case, and given to OpenSSL by its names", () => {
  const names = ["TLS_RSA_WITH_AES_128_CBC_SHA", "ecdhe-ecdsa-aes128-sha", "DHE-RSA-AES256-SHA256"];
  assert.equal(problem("ciphers", names), "");
  assert.deepEqual(opensslNames("ciphers", names), [
    "AES128-SHA",
    "ECDHE-ECDSA-AES128-SHA",
    "DHE-RSA-AES256-SHA256",
  ]);
  assert.deepEqual(
    opensslNames("ciphersuites", ["tls_aes_128_ccm_sha256", "TLS_CHACHA20_POLY1305_SHA256"]),
    ["TLS_AES_128_CCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"],
  );
});

Deno.test("every suite OpenSSL names and can offer without a secret is known in its list", () => {
  for (const s of CIPHER_SUITES) {
    if (!s.openssl || s.signaling || /PSK|SRP/.test(s.kx) || s.code === 0) continue;
    const list = s.tls13 ? "ciphersuites" : "ciphers";
    for (const name of [s.openssl, ...(s.iana ? [s.iana] : [])]) {
      assert.equal(problem(list, [name]), "", name);
    }
  }
});

Deno.test("an unknown suite is refused with the nearest known name, or an example", () => {
  assert.equal(
    problem("ciphers", ["AES128-SHA", "ECDHE-RSA-AES128-GCM-SHA265"]),
    "1: unknown cipher suite 'ECDHE-RSA-AES128-GCM-SHA265' (hint: did you mean 'ECDHE-RSA-AES128-GCM-SHA256'?)",
  );
  assert.equal(
    problem("ciphers", ["FOO_BAR"]),
    "0: unknown cipher suite 'FOO_BAR' (hint: give an IANA or OpenSSL name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)",
  );
  // An OpenSSL cipher string keyword is no suite: the list is exactly what is offered.
  assert.match(problem("ciphers", ["HIGH"]), /^0: unknown cipher suite 'HIGH'/);
});

Deno.test("a TLS 1.3 suite in ciphers, or an older one in ciphersuites, is sent to the other list", () => {
  assert.equal(
    problem("ciphers", ["TLS_AES_128_GCM_SHA256"]),
    "0: 'TLS_AES_128_GCM_SHA256' is a TLS 1.3 suite (hint: TLS 1.3 suites go to --ciphersuites)",
  );
  assert.equal(
    problem("ciphersuites", ["TLS_AES_256_GCM_SHA384", "AES128-SHA"]),
    "1: 'AES128-SHA' is not a TLS 1.3 suite (hint: TLS 1.2-and-older suites go to --ciphers)",
  );
  // Without a spelling, the lists are named as the YAML keys are.
  assert.match(
    tlsNameProblem("ciphers", ["TLS_AES_128_GCM_SHA256"])!.hint,
    /go to ciphersuites$/,
  );
});

Deno.test("suites the OpenSSL stack cannot offer are refused, saying why", () => {
  assert.match(problem("ciphers", ["TLS_PSK_WITH_AES_128_GCM_SHA256"]), /pre-shared key/);
  assert.match(problem("ciphers", ["TLS_SRP_SHA_WITH_AES_128_CBC_SHA"]), /SRP login/);
  assert.match(
    problem("ciphers", ["TLS_NULL_WITH_NULL_NULL"]),
    /OpenSSL does not implement 'TLS_NULL_WITH_NULL_NULL' \(hint: .*offer NULL-SHA/,
  );
  assert.match(problem("ciphers", ["TLS_FALLBACK_SCSV"]), /signalling value, not a cipher suite/);
  assert.match(
    problem("ciphers", ["TLS_CECPQ1_RSA_WITH_CHACHA20_POLY1305_SHA256"]),
    /OpenSSL does not implement 'TLS_CECPQ1/,
  );
});

Deno.test("groups are known by IANA, NIST and OpenSSL name in any case, and given by IANA name", () => {
  const names = [
    "P-256",
    "p-384",
    "prime256v1",
    "X25519",
    "x448",
    "ffdhe2048",
    "SECP521R1",
    "P-224",
  ];
  assert.equal(problem("groups", names), "");
  assert.deepEqual(opensslNames("groups", names), [
    "secp256r1",
    "secp384r1",
    "secp256r1",
    "x25519",
    "x448",
    "ffdhe2048",
    "secp521r1",
    "secp224r1",
  ]);
  assert.equal(
    problem("groups", ["P-256", "X25591"]),
    "1: unknown group 'X25591' (hint: did you mean 'X25519'?)",
  );
  assert.equal(
    problem("groups", ["P-265"]),
    "0: unknown group 'P-265' (hint: did you mean 'P-256'?)",
  );
  assert.match(problem("groups", ["FOO"]), /unknown group 'FOO' \(hint: .*e\.g\. P-256, X25519\)/);
});

Deno.test("signature algorithms are known by scheme name and as SIG+HASH, and given as OpenSSL takes them", () => {
  const names = [
    "rsa_pss_rsae_sha256",
    "ECDSA+SHA1",
    "ecdsa_sha1",
    "dsa_sha256",
    "RSA-PSS+SHA384",
    "Ed25519",
    "ecdsa_secp256r1_sha256",
    "rsa+sha-512",
  ];
  assert.equal(problem("sigalgs", names), "");
  // OpenSSL takes neither "ecdsa_sha1" nor "dsa_sha256" by name, and scheme names in lower case only.
  assert.deepEqual(opensslNames("sigalgs", names), [
    "rsa_pss_rsae_sha256",
    "ECDSA+SHA1",
    "ECDSA+SHA1",
    "DSA+SHA256",
    "rsa_pss_rsae_sha384",
    "ed25519",
    "ECDSA+SHA256",
    "RSA+SHA512",
  ]);
  assert.equal(
    problem("sigalgs", ["rsa_pss_rsae_sha265"]),
    "0: unknown signature algorithm 'rsa_pss_rsae_sha265' (hint: did you mean 'rsa_pss_rsae_sha256'?)",
  );
  // Never offered: an anonymous signature, the hash "none", PSS with SHA-1.
  for (const name of ["anonymous_sha256", "rsa_pkcs1_none", "PSS+SHA1", "FOO"]) {
    assert.match(problem("sigalgs", [name]), /unknown signature algorithm/, name);
  }
});

Deno.test("an empty entry and several names in one entry are refused at their position", () => {
  assert.deepEqual(tlsNameList(" AES128-SHA,,AES256-SHA "), ["AES128-SHA", "", "AES256-SHA"]);
  assert.equal(
    problem("ciphers", tlsNameList("AES128-SHA,,AES256-SHA")),
    "1: an empty entry in the list (hint: remove the extra comma, or the empty entry)",
  );
  assert.match(problem("groups", tlsNameList("P-256,")), /^1: an empty entry/);
  assert.equal(
    problem("groups", ["P-256:X25519"]),
    "0: 'P-256:X25519' is more than one name (hint: separate the names with commas (A,B), or give a list)",
  );
  assert.match(problem("sigalgs", ["rsa_pss_rsae_sha256 ed25519"]), /more than one name/);
});

Deno.test("opensslNames() throws on a name tlsNameProblem() refuses", () => {
  assert.throws(() => opensslNames("groups", ["FOO"]), /groups: unknown group 'FOO'/);
});
