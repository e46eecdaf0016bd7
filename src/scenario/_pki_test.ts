import assert from "node:assert/strict";
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
