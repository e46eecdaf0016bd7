import assert from "node:assert/strict";
import { parseYaml } from "../yaml/mod.ts";
import { parsePkiSpec } from "./spec.ts";

function error(yaml: string): string {
  try {
    parsePkiSpec(parseYaml(yaml, "pki.yaml"));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

Deno.test("parsePkiSpec() applies like, defaults and the default trust (first root only)", () => {
  const spec = parsePkiSpec(parseYaml(
    `defaults: { key: rsa-2048, days: 10 }
authorities:
  - name: root
  - name: rogue
certificates:
  - { name: client, issuer: root, subject: { CN: HARNESS }, usage: client }
  - { name: client-wrong-usage, like: client, usage: server }
`,
    "pki.yaml",
  ));
  const byName = Object.fromEntries(spec.entries.map((e) => [e.name, e]));
  assert.equal(byName.root.trusted, true);
  assert.equal(byName.rogue.trusted, false);
  assert.equal(byName["client-wrong-usage"].key, "rsa-2048");
  assert.equal(byName["client-wrong-usage"].days, 10);
  assert.deepEqual(byName["client-wrong-usage"].subject, { CN: "HARNESS" });
  assert.equal(byName["client-wrong-usage"].usage, "server");
  assert.equal(byName["client-wrong-usage"].role, "client", "the role comes from the like base");
  assert.equal(spec.password, "dicomtls");
});

Deno.test("parsePkiSpec() orders issuers before what they issue", () => {
  const spec = parsePkiSpec(parseYaml(
    "authorities:\n  - { name: sub, issuer: root }\n  - { name: root }\n",
    "pki.yaml",
  ));
  assert.deepEqual(spec.entries.map((e) => e.name), ["root", "sub"]);
});

Deno.test("parsePkiSpec() reports bad input at file:line:column with a hint", () => {
  const cases: [string, string][] = [
    [
      "authorities:\n  - { name: root, isuer: x }\n",
      "pki.yaml:2:19: unknown key 'isuer' in 'authorities[0]' (hint: did you mean 'issuer'?)",
    ],
    [
      "authorities:\n  - name: root\n    key: rsa-512\n",
      "pki.yaml:3:10: 'authorities[0].key' has the value \"rsa-512\", which is not allowed (hint: use one of: rsa-1024, rsa-2048, rsa-3072, rsa-4096, ec-p256, ec-p384, ec-p521)",
    ],
    [
      "authorities: [{ name: root }]\ncertificates:\n  - { name: a, issuer: roto }\n",
      "pki.yaml:3:24: 'issuer: roto' names nothing (hint: did you mean 'root'?)",
    ],
    [
      "authorities: [{ name: root }]\ncertificates:\n  - { name: a, issuer: root }\n  - { name: b, like: c }\n",
      "pki.yaml:4:22: 'like: c' names nothing (hint: did you mean 'a'?)",
    ],
    [
      // Never the entry itself, nor an entry of the other kind: neither can be its model.
      "authorities: [{ name: clinic }]\ncertificates:\n  - { name: server, issuer: clinic }\n  - { name: client, like: clent }\n",
      "pki.yaml:4:27: 'like: clent' names nothing (hint: use one of: server)",
    ],
    [
      "authorities: [{ name: root, like: rot }]\n",
      "pki.yaml:1:35: 'like: rot' names nothing (hint: 'like' copies another authority of the list, and there is none: remove it)",
    ],
    [
      "authorities: [{ name: root }]\ncertificates:\n  - { name: a, like: b, issuer: root }\n  - { name: b, like: a }\n",
      "pki.yaml:3:22: 'like' forms a cycle: a -> b -> a (hint: remove one 'like')",
    ],
    [
      "authorities:\n  - { name: a, issuer: b }\n  - { name: b, issuer: a }\n",
      "pki.yaml:2:24: issuers form a cycle: a -> b -> a (hint: one authority in the cycle must be a root (no issuer))",
    ],
    [
      "authorities: [{ name: root }]\ncertificates:\n  - { name: a, issuer: root }\n  - { name: b, issuer: a }\n",
      "pki.yaml:4:24: 'issuer: a' is a certificate; only authorities issue certificates (hint: move it to 'authorities' or name an authority)",
    ],
    [
      "authorities:\n  - { name: root, key: ec-p384 }\ncertificates:\n  - { name: a, issuer: root, hash: sha1 }\n",
      "pki.yaml:4:5: 'a' would be signed with SHA-1 by an ec-p384 key, which this platform's WebCrypto cannot do (hint: use hash sha256 or stronger, or give its issuer an ec-p256, ec-p521 or RSA key)",
    ],
    [
      "certificates:\n  - { name: a }\n",
      "pki.yaml:2:5: certificate 'a' has no issuer (hint: add 'issuer: NAME' (an authority) or 'issuer: self')",
    ],
    [
      "authorities: [{ name: root }, { name: root }]\n",
      "pki.yaml:1:39: duplicate name 'root' (hint: names must be unique)",
    ],
    [
      "authorities:\n  - { name: root, validity: { notBefore: soon, notAfter: 2030-01-01 } }\n",
      "pki.yaml:2:42: 'soon' is not a date (hint: write an ISO 8601 date from 1950 to 9999 such as 2030-01-31 or 2030-01-31T12:00:00Z)",
    ],
    [
      "presets: [gazelle]\n",
      "pki.yaml:1:11: the gazelle preset needs a root authority to issue from (hint: add 'authorities: [{ name: root }]')",
    ],
  ];
  for (const [yaml, message] of cases) assert.equal(error(yaml), message);
});

Deno.test("parsePkiSpec() refuses a date a certificate would not hold as written, and a subject too long to encode", () => {
  const dates = (notBefore: string, notAfter = "2030-01-01") =>
    error(
      `authorities:\n  - name: root\n    validity: { notBefore: "${notBefore}", notAfter: "${notAfter}" }\n`,
    );
  assert.match(
    dates("2024-02-30"),
    /^pki\.yaml:3:28: '2024-02-30' is not a date: the month has no such day/,
  );
  assert.match(
    dates("2020-01-01", "+010000-01-01T00:00:00Z"),
    /:3:52: .* in the year 10000; dicomtls writes certificate dates from 1950 to 9999/,
  );
  assert.match(dates("1900-06-01"), /in the year 1900;/);
  assert.match(dates("-000001-01-01T00:00:00Z"), /in the year -1;/);
  const long = error(
    `authorities:\n  - name: root\n    subject: { CN: "${"A".repeat(200_000)}" }\n`,
  );
  assert.match(long, /^pki\.yaml:3:20: subject CN has 200000 characters, more than the 1024/);
});

Deno.test("parsePkiSpec() given a scenario suite says so in one line, not a line per suite key", () => {
  const source = parseYaml(
    "suite: s\npki: pki.yaml\npeers: { sut: { ae: A, host: h, port: 1 } }\ncases: []\n",
    "suite.yaml",
  );
  try {
    parsePkiSpec(source);
    assert.fail("expected an error");
  } catch (e) {
    assert.equal(
      (e as Error).message,
      "suite.yaml:1:1: this is a scenario suite, not a PKI spec (hint: give the PKI spec the suite names in its 'pki:', or a folder 'dicomtls pki' wrote; run the suite with 'dicomtls run suite.yaml')",
    );
  }
});
