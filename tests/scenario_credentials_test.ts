/**
 * `validate` (and the loader `run` uses) knows what `run` would fail on:
 * a wrong PKCS#12 password, a key that does not belong to its certificate,
 * a DER certificate where PEM is needed: each an error at the certificate's
 * line with a hint that fits a YAML file, before anything connects.
 */
import assert from "node:assert/strict";
import { loadSuite } from "../src/scenario/mod.ts";
import { InputError } from "../src/yaml/mod.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const pki = await testPki();
const dir = await Deno.makeTempDir({ prefix: "dicomtls-credentials-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

async function problem(certificate: string): Promise<string> {
  const file = `${dir}/suite-${crypto.randomUUID()}.yaml`;
  await Deno.writeTextFile(
    file,
    `suite: s
peers:
  sut: { role: scp, ae: A, host: 127.0.0.1, port: 104 }
cases:
  - name: c
    harness:
      certificate: ${certificate}
    expect: { echo: success }
`,
  );
  const e = await loadSuite({ file, env: {} }).then(() => undefined, (e) => e);
  assert.ok(e instanceof InputError, `expected an InputError, got ${e}`);
  return e.message.replace(file, "suite.yaml").replaceAll(pki.dir, "PKI");
}

Deno.test("a wrong PKCS#12 password is an error at the certificate's line", async () => {
  assert.equal(
    await problem(`{ p12: ${pkiFile(pki, "client", "p12")}, password: wrong }`),
    "suite.yaml:7:20: PKI/client.p12: cannot open PKCS#12 file: wrong password " +
      "(hint: check password: beside p12: (or the store's .p12 files))",
  );
});

Deno.test("a key that does not belong to its certificate is an error at the certificate's line", async () => {
  const message = await problem(
    `{ cert: ${pkiFile(pki, "client", "crt")}, key: ${pkiFile(pki, "server", "key")} }`,
  );
  assert.match(message, /^suite\.yaml:7:20: PKI\/server\.key: private key does not belong to/);
  assert.match(message, /\(hint: give the key that was generated with this certificate\)$/);
});

Deno.test("a DER certificate where PEM is needed is an error with the conversion", async () => {
  const message = await problem(
    `{ cert: ${pkiFile(pki, "client", "der")}, key: ${pkiFile(pki, "client", "key")} }`,
  );
  assert.match(message, /^suite\.yaml:7:20: PKI\/client\.der: /);
  assert.match(message, /openssl x509 -inform DER/);
});
