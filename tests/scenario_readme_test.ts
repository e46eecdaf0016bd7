// The README's complete scenario example must stay valid: it is what users copy.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSuite } from "../src/scenario/mod.ts";

const root = new URL("..", import.meta.url);

Deno.test("the README's complete scenario example loads, with every case and matrix entry", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  const section = readme.slice(readme.indexOf("## Scenarios"));
  const example = /```yaml\n([\s\S]*?)```/.exec(section)![1];
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-readme-" });
  try {
    await Deno.mkdir(join(dir, "data"));
    await Deno.writeTextFile(join(dir, "data/ct.dcm"), "DICM");
    // The example names the standard PKI; a smaller one with the same names keeps the test fast.
    const small = fileURLToPath(new URL("fixtures/scenarios-broken/_pki/small.yaml", root));
    const text = example.replace(/^pki: \S+/m, `pki: ${small}`);
    assert.notEqual(text, example);
    await Deno.writeTextFile(join(dir, "example.yaml"), text);
    const suite = await loadSuite({
      file: join(dir, "example.yaml"),
      env: {},
      pkiCacheDir: join(dir, "cache"),
    });
    assert.equal(suite.instances.length, 2);
    assert.equal(suite.cases.length, 18);
    assert.equal(suite.instances[0].concurrency, 1);
    const stored = suite.cases.find((c) => c.operation === "store")!;
    assert.deepEqual(stored.files, [join(dir, "data/ct.dcm")]);
    assert.equal(suite.cases.find((c) => c.skip)!.skip, "storescp is started without +crl here");
    assert.equal(suite.cases.filter((c) => c.expect.fails).length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
