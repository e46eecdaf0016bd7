// `dicomtls pki` as a program: a bad spec is one line and exit 2, and the PKI
// generated before is left as it was (generatePki itself is tested beside it).
import assert from "node:assert/strict";
import { generatePki, readManifest } from "../src/pki/mod.ts";
import { runDicomtls } from "../src/testing/cli.ts";

const SPEC = `authorities:
  - { name: root }
  - { name: sub, issuer: root }
certificates:
  - { name: a, issuer: sub, usage: server }
`;

Deno.test("dicomtls pki exits 2 on a bad spec and leaves the previous PKI as it was", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-pki-cli-" });
  try {
    const spec = `${dir}/pki.yaml`;
    const out = `${dir}/out`;
    await Deno.writeTextFile(spec, SPEC);
    const before = await generatePki({ spec, out });
    await Deno.writeTextFile(spec, SPEC.replace("issuer: sub", "issuer: subb"));
    const r = await runDicomtls(["pki", spec, "--out", out]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /pki\.yaml:5:\d+: 'issuer: subb' names nothing/);
    assert.deepEqual(await readManifest(out), before.manifest);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
