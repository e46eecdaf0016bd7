/**
 * Our certificate path checker against the manifest of the standard test PKI
 * and against `openssl verify` (the oracle), on every certificate of the
 * catalogue.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  certificateInfo,
  CredentialsError,
  loadCredentials,
  verifyCertificatePath,
} from "../src/tls/mod.ts";
import { x509 } from "../src/tls/_x509.ts";
import { havePeer } from "../src/testing/peers.ts";
import { type PkiResult, testPki } from "../src/testing/pki.ts";
import { opensslVerdict } from "../src/testing/openssl.ts";

const pki: PkiResult = await testPki();
const entries = pki.manifest.entries;
const file = (name: string) => join(pki.dir, name);
const der = (name: string) => Deno.readFileSync(file(name));
const roots = entries.filter((e) => e.trusted);
const crls = entries.flatMap((e) => (e.files.crl ? [e.files.crl] : []));

/** What the peer would send: the certificate and its intermediates. */
function sentChain(e: (typeof entries)[number]): Uint8Array[] {
  if (!e.files.chain) return [der(e.files.der)];
  return x509.PemConverter.decode(Deno.readTextFileSync(file(e.files.chain))).map((b) =>
    new Uint8Array(b)
  );
}

/** Our verdict under the manifest's policy: standard trust, every CRL, RSA >= 2048, SHA-256 or better. */
async function ours(e: (typeof entries)[number]): Promise<string[]> {
  const r = await verifyCertificatePath({
    chain: sentChain(e),
    anchors: roots.map((r) => der(r.files.der)),
    crls: crls.map(der),
    purpose: e.expectedFor,
    minRsaBits: 2048,
    minHash: "sha256",
  });
  return r.ok ? ["valid"] : r.reasons;
}

Deno.test({
  name:
    "verifyCertificatePath() agrees with the manifest and with openssl verify on every certificate",
  ignore: !havePeer("openssl", "openssl"),
  fn: async () => {
    const checked: string[] = [];
    for (const e of entries) {
      // A key that does not match is a fault of our own configuration, not of the certificate.
      const expected = e.expected === "key-mismatch" ? "valid" : e.expected;
      assert.deepEqual(await ours(e), [expected], `our verdict on ${e.name}`);
      assert.equal(await opensslVerdict(pki, e), expected, `openssl verify on ${e.name}`);
      checked.push(e.name);
    }
    assert.ok(checked.length >= 20, `only ${checked.length} certificates in the catalogue`);
  },
});

Deno.test("loadCredentials() finds the key that does not belong to its certificate", async () => {
  const e = entries.find((e) => e.expected === "key-mismatch")!;
  await assert.rejects(
    loadCredentials({ cert: file(e.files.crt), key: file(e.files.key) }),
    (err: unknown) => err instanceof CredentialsError && err.reason === "key-mismatch",
  );
});

Deno.test("loadCredentials() reads every PKCS#12 file of the catalogue, EC and RSA", async () => {
  for (const e of entries.filter((e) => e.expected !== "key-mismatch")) {
    const fromP12 = await loadCredentials({
      p12: file(e.files.p12),
      password: pki.manifest.password,
    });
    assert.equal(fromP12.certificate.sha256, e.sha256, e.name);
    const fromPem = await loadCredentials({ cert: file(e.files.crt), key: file(e.files.key) });
    assert.equal(fromPem.key, fromP12.key, `${e.name}: the same key from PEM and PKCS#12`);
  }
});

Deno.test("loadCredentials() names the file for a wrong password and an unreadable file", async () => {
  const p12 = file("client.p12");
  await assert.rejects(loadCredentials({ p12, password: "wrong" }), {
    name: "CredentialsError",
    message: `${p12}: cannot open PKCS#12 file: wrong password (hint: check --password)`,
  });
  await assert.rejects(loadCredentials({ cert: file("nothing.crt"), key: file("client.key") }), {
    name: "CredentialsError",
    message: new RegExp(`^${file("nothing.crt")}: cannot read file`),
  });
});

Deno.test("certificateInfo() agrees with the manifest on names, serial, key and thumbprints", () => {
  for (const e of entries) {
    const info = certificateInfo(der(e.files.der));
    const key = e.keyType.replace(/^ec-p(\d+)$/, "EC P-$1").replace(/^rsa-(\d+)$/, "RSA $1");
    assert.deepEqual(
      [info.subject, info.issuer, info.serial, info.key, info.sha1, info.sha256, info.notAfter],
      [e.subject, e.issuer, e.serial, key, e.sha1, e.sha256, new Date(e.notAfter).toISOString()],
      e.name,
    );
  }
  assert.deepEqual(certificateInfo(der("server.der")).san, ["DNS:localhost", "IP:127.0.0.1"]);
  assert.equal(certificateInfo(der("client-sha1.der")).signatureAlgorithm, "ecdsa-with-SHA1");
});
