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
import { captureConsole } from "../src/testing/cli.ts";
import { main } from "../src/cli/mod.ts";

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

// A copy of a PKI folder `dicomtls pki` wrote, with `broken` applied to it.
async function brokenPkiFolder(broken: (dir: string) => Promise<void>): Promise<string> {
  const out = `${dir}/pki-${crypto.randomUUID()}`;
  const small = new URL("../fixtures/scenarios-broken/_pki/small.yaml", import.meta.url).pathname;
  const { value: code } = await captureConsole(() => main(["pki", small, "--out", out, "-q"]));
  assert.equal(code, 0);
  await broken(out);
  return out;
}

Deno.test("validate --pki DIR opens the PKI folder's files: a lost key, a key that is not the certificate's, a lost root", async () => {
  const folder = await brokenPkiFolder(async (pki) => {
    await Deno.remove(`${pki}/client-expired.key`);
    await Deno.copyFile(`${pki}/server.key`, `${pki}/client.key`);
    await Deno.remove(`${pki}/root.crt`);
  });
  const file = `${dir}/device-${crypto.randomUUID()}.yaml`;
  await Deno.writeTextFile(
    file,
    `suite: device
peers:
  sut: { ae: DEVICE, host: 127.0.0.1, port: 104 }
  harness: { certificate: client, trust: [root] }
cases:
  - name: trusted
    expect: { echo: success }
  - name: expired
    harness: { certificate: client-expired }
    expect: { tls: refused-by-peer }
  - name: none
    harness: { certificate: none }
    expect: { tls: refused-by-peer }
`,
  );
  const { value: code, out, err } = await captureConsole(() =>
    main(["validate", file, "--pki", folder])
  );
  assert.equal(code, 2, out.join("\n"));
  const lines = err.map((l) => l.replace(file, "suite.yaml").replaceAll(folder, "PKI"));
  const hint =
    "(hint: the PKI folder is not as 'dicomtls pki' wrote it: restore the file, or generate the folder again (and give the device the new PKI))";
  assert.deepEqual(lines.map((l) => l.split(": ").slice(0, 2).join(": ")), [
    "suite.yaml:4:27: PKI/client.key",
    "suite.yaml:4:43: cannot read trust anchor PKI/root.crt",
    "suite.yaml:9:29: PKI/client-expired.key",
  ]);
  assert.match(lines[0], /private key does not belong to the certificate CN=HARNESS/);
  assert.match(lines[2], /cannot read file/);
  for (const line of lines) assert.ok(line.endsWith(hint), line);
});

Deno.test("trust: takes DER certificates, whatever their name, at suite and case level: validate and run agree", async () => {
  const derAsCrt = `${dir}/root-der-${crypto.randomUUID()}.crt`;
  await Deno.copyFile(pkiFile(pki, "root", "der"), derAsCrt);
  const file = `${dir}/der-trust-${crypto.randomUUID()}.yaml`;
  await Deno.writeTextFile(
    file,
    `suite: DER trust anchors
peers:
  sut:
    ae: REFERENCE
    host: 127.0.0.1
    port: 0
    start:
      reference:
        ae: REFERENCE
        security:
          cert: ${pkiFile(pki, "server", "chain")}
          key: ${pkiFile(pki, "server", "key")}
          verify: chain
          ca: ["${pkiFile(pki, "root", "der")}"]
          mutual: true
  harness:
    certificate: { cert: ${pkiFile(pki, "client", "crt")}, key: ${pkiFile(pki, "client", "key")} }
    trust: ["${pkiFile(pki, "root", "der")}"]
    verify: chain
cases:
  - name: a root.der at suite level verifies the server
    expect: { echo: success, verification: { ok: true } }
  - name: a DER file named .crt at case level verifies the server
    harness: { trust: "${derAsCrt}" }
    expect: { echo: success, verification: { ok: true } }
`,
  );
  const validate = await captureConsole(() => main(["validate", file]));
  assert.equal(validate.value, 0, validate.err.join("\n"));
  const run = await captureConsole(() => main(["run", file, "--json", `${file}.json`]));
  assert.equal(run.value, 0, [...run.out, ...run.err].join("\n"));
  const summary = JSON.parse(await Deno.readTextFile(`${file}.json`)).summary;
  assert.equal(summary.passed, 2);
});

Deno.test("a trust file that holds no certificate is an error at its line in validate", async () => {
  const file = `${dir}/bad-trust-${crypto.randomUUID()}.yaml`;
  await Deno.writeTextFile(
    file,
    `suite: s
peers:
  sut: { ae: A, host: 127.0.0.1, port: 104 }
cases:
  - name: c
    harness: { trust: ["${pkiFile(pki, "root", "key")}"] }
    expect: { echo: success }
`,
  );
  const { value: code, err } = await captureConsole(() => main(["validate", file]));
  assert.equal(code, 2);
  assert.deepEqual(err.map((l) => l.replace(file, "suite.yaml").replaceAll(pki.dir, "PKI")), [
    "suite.yaml:6:24: PKI/root.key holds no certificate (neither PEM nor DER) " +
    "(hint: give CA certificates, in PEM (-----BEGIN CERTIFICATE-----) or DER)",
  ]);
});
