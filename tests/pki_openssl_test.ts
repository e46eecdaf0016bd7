/**
 * OpenSSL as the oracle for the test PKI: every certificate's verdict, every
 * .p12, every thumbprint and key file mode.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { generatePki, type PkiEntry, type PkiResult } from "../src/pki/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { testPki } from "../src/testing/pki.ts";
import { openssl, opensslVerdict } from "../src/testing/openssl.ts";

const haveOpenssl = havePeer("openssl", "openssl");

/** OpenSSL's verdict, and for a valid certificate whether its key file matches it. */
async function verdict(pki: PkiResult, entry: PkiEntry): Promise<string> {
  const v = await opensslVerdict(pki, entry);
  if (v !== "valid") return v;
  const file = (name: string) => join(pki.dir, name);
  const certKey = await openssl("x509", "-in", file(entry.files.crt), "-noout", "-pubkey");
  const fileKey = await openssl("pkey", "-in", file(entry.files.key), "-pubout");
  return certKey.out === fileKey.out ? "valid" : "key-mismatch";
}

async function checkEveryEntry(pki: PkiResult) {
  await Promise.all(pki.manifest.entries.map(async (entry) => {
    const file = (name: string) => join(pki.dir, name);
    assert.equal(
      await verdict(pki, entry),
      entry.expected,
      `verdict of ${entry.name}`,
    );

    for (const hash of ["sha1", "sha256"] as const) {
      const { out } = await openssl(
        "x509",
        "-in",
        file(entry.files.der),
        "-inform",
        "DER",
        "-noout",
        "-fingerprint",
        `-${hash}`,
      );
      assert.equal(
        out.split("=")[1].trim().replaceAll(":", ""),
        entry[hash],
        `${hash} of ${entry.name}`,
      );
    }

    const p12 = await openssl(
      "pkcs12",
      "-in",
      file(entry.files.p12),
      "-passin",
      `pass:${pki.manifest.password}`,
      "-nodes",
    );
    assert.equal(p12.code, 0, `openssl pkcs12 reads ${entry.name}.p12: ${p12.out}`);
    assert.match(p12.out, /BEGIN PRIVATE KEY/);
    const chainLength =
      (entry.files.chain ? Deno.readTextFileSync(file(entry.files.chain)) : "x").split("BEGIN")
        .length - 1;
    assert.equal(
      p12.out.split("BEGIN CERTIFICATE").length - 1,
      Math.max(1, chainLength),
      `certificates in ${entry.name}.p12`,
    );

    assert.equal(
      (await Deno.stat(file(entry.files.key))).mode! & 0o777,
      0o600,
      `mode of ${entry.name}.key`,
    );
  }));
}

Deno.test({
  name:
    "every certificate of the standard PKI gets OpenSSL's verdict, thumbprints, a readable .p12 and a 0600 key",
  ignore: !haveOpenssl,
  async fn() {
    const pki = await testPki("standard");
    assert.ok(pki.manifest.entries.length >= 21);
    await checkEveryEntry(pki);
  },
});

const VARIANTS = `
password: "it's secret"
presets: [gazelle]
authorities:
  - { name: root, key: rsa-3072 }
  - { name: sub, issuer: root, key: ec-p384, hash: sha384 }
  - { name: sub-revoked, issuer: root, revoked: true }
  - { name: sub-expired, issuer: root, validity: expired }
  - { name: other-root, trusted: true }
certificates:
  - { name: p521, issuer: sub, key: ec-p521, hash: sha512, usage: both, role: server }
  - { name: dated, issuer: root, usage: client, validity: { notBefore: 2020-01-01, notAfter: 2021-01-01 } }
  - { name: future, issuer: root, usage: server, validity: { notBefore: 2090-01-01, notAfter: 2091-01-01 } }
  - { name: under-revoked, issuer: sub-revoked, usage: client }
  - { name: under-expired, issuer: sub-expired, usage: client }
  - { name: usage-none, issuer: root, usage: none, role: client }
  - { name: rsa-sha1, issuer: root, key: rsa-2048, hash: sha1, usage: client }
  - { name: from-other-root, issuer: other-root, usage: server }
`;

Deno.test({
  name:
    "key types, explicit dates, revoked and expired intermediates and the gazelle preset match OpenSSL",
  ignore: !haveOpenssl,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "dicomtls-pki-variants-" });
    try {
      await Deno.writeTextFile(`${tmp}/variants.yaml`, VARIANTS);
      const pki = await generatePki({ spec: `${tmp}/variants.yaml`, out: `${tmp}/out` });
      const expected = Object.fromEntries(pki.manifest.entries.map((e) => [e.name, e.expected]));
      assert.deepEqual(expected, {
        root: "valid",
        sub: "valid",
        "sub-revoked": "revoked",
        "sub-expired": "expired",
        "other-root": "valid",
        p521: "valid",
        dated: "expired",
        future: "not-yet-valid",
        "under-revoked": "revoked",
        "under-expired": "expired",
        "usage-none": "valid",
        "rsa-sha1": "weak-hash",
        "from-other-root": "valid",
        "gazelle-rogue": "self-signed",
        "gazelle-valid": "valid",
        "gazelle-corrupted": "bad-signature",
        "gazelle-expired": "expired",
        "gazelle-revoked": "revoked",
        "gazelle-self-signed": "self-signed",
        "gazelle-unknown-ca": "unknown-issuer",
        "gazelle-wrong-key": "key-mismatch",
      });
      await checkEveryEntry(pki);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
