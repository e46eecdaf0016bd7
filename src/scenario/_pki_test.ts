import assert from "node:assert/strict";
import { generatePki } from "../pki/mod.ts";
import type { InputError } from "../yaml/mod.ts";
import { loadSuite } from "./load.ts";
import { suitePki } from "./_pki.ts";

Deno.test("the PKI cache keeps keys, .p12 files and the derived spec private (0600 files, 0700 folders)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-pki-cache-test-" });
  try {
    await Deno.writeTextFile(
      `${dir}/pki.yaml`,
      `password: custom-secret\nauthorities: [{ name: root }]\ncertificates: [{ name: client, issuer: root, usage: client }]\n`,
    );
    const cacheDir = `${dir}/cache/dicomtls/pki`;
    const pki = await suitePki({ spec: `${dir}/pki.yaml`, key: "ec-p384", cacheDir });
    const mode = (path: string) => Deno.statSync(path).mode! & 0o777;
    for (const folder of [`${dir}/cache`, `${dir}/cache/dicomtls`, cacheDir, pki.dir]) {
      assert.equal(mode(folder), 0o700, folder);
    }
    for (const entry of pki.entries.values()) {
      assert.equal(mode(entry.files.key), 0o600, entry.files.key);
      assert.equal(mode(entry.files.p12), 0o600, entry.files.p12);
    }
    const derived = [...Deno.readDirSync(cacheDir)].find((e) => e.name.endsWith(".spec.yaml"))!;
    assert.equal(mode(`${cacheDir}/${derived.name}`), 0o600, "the derived spec holds the password");
    assert.equal(pki.password, "custom-secret");
    assert.equal(pki.fields.client?.password, "custom-secret");
    assert.doesNotMatch(await Deno.readTextFile(`${pki.dir}/manifest.json`), /custom-secret/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const small = new URL("../../fixtures/scenarios-broken/_pki/small.yaml", import.meta.url).pathname;
const SUITE = (pki: string, extra = "") =>
  `suite: s
${pki}
peers:
  sut: { ae: SCP, host: 127.0.0.1, port: 11112 }
  harness: { certificate: client, trust: [root] }
cases:
  - name: echo
    expect: { echo: success, peer: { sha1: "\${pki.server.sha1}" } }
${extra}`;

Deno.test("loadSuite() takes a folder 'dicomtls pki' wrote as pki: and uses its files as they are", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-pki-folder-test-" });
  try {
    const pki = await generatePki({ spec: small, out: `${dir}/mypki` });
    await Deno.writeTextFile(`${dir}/s.yaml`, SUITE("pki: mypki"));
    const suite = await loadSuite({ file: `${dir}/s.yaml`, pkiCacheDir: `${dir}/cache` });
    const client = suite.cases[0].harness.security.certificate;
    assert.deepEqual(client, {
      kind: "pem",
      cert: `${pki.dir}/client.chain.pem`,
      key: `${pki.dir}/client.key`,
      label: "client",
    });
    assert.deepEqual(suite.instances[0].pki, { spec: small, dir: pki.dir });
    const sha1 = pki.manifest.entries.find((e) => e.name === "server")!.sha1;
    assert.equal(suite.cases[0].expect.checks.find((c) => c.path === "peer.sha1")!.expected, sha1);
    assert.equal(await exists(`${dir}/cache`), false, "nothing generated");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadSuite() with pki (--pki) replaces the suite's own pki:, spec or none", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-pki-folder-test-" });
  try {
    const pki = await generatePki({ spec: small, out: `${dir}/device-pki` });
    await Deno.writeTextFile(`${dir}/spec.yaml`, SUITE(`pki: ${small}`));
    await Deno.writeTextFile(`${dir}/none.yaml`, SUITE(""));
    for (const file of ["spec.yaml", "none.yaml"]) {
      const suite = await loadSuite({
        file: `${dir}/${file}`,
        pki: `${dir}/device-pki`,
        pkiCacheDir: `${dir}/cache`,
      });
      assert.equal(suite.instances[0].pki?.dir, pki.dir, file);
    }
    assert.equal(await exists(`${dir}/cache`), false, "the suite's spec is not generated");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadSuite() says what is wrong with a PKI folder: no manifest, a key matrix, a missing --pki", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-pki-folder-test-" });
  try {
    await generatePki({ spec: small, out: `${dir}/mypki` });
    await Deno.mkdir(`${dir}/empty`);
    await Deno.writeTextFile(`${dir}/empty.yaml`, SUITE("pki: empty"));
    await Deno.writeTextFile(
      `${dir}/keys.yaml`,
      SUITE("pki: mypki", "matrix: { key: [rsa-2048] }"),
    );
    const load = (file: string, pki?: string) =>
      loadSuite({ file: `${dir}/${file}`, pki, pkiCacheDir: `${dir}/cache` });
    await assert.rejects(load("empty.yaml"), (e: InputError) => {
      assert.match(e.message, /empty\.yaml:2:6: .*has no manifest\.json.*\(hint: generate it with/);
      return true;
    });
    await assert.rejects(
      load("keys.yaml"),
      /keys\.yaml:2:6: the matrix variable 'key' regenerates/,
    );
    await assert.rejects(
      load("empty.yaml", `${dir}/nowhere`),
      /^InputError: --pki .*nowhere: no such folder/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}
