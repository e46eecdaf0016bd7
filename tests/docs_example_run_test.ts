/**
 * The complete scenario example of docs/scenarios.md does what its comments
 * say when run as written against the storescp it starts: the users who copy
 * it get passes and known failures, not a wall of failures from a detail
 * (such as storescp presenting its certificate without the intermediate CA).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../src/process/mod.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

Deno.test({
  name: "the complete scenario example runs against storescp with every case as its comments say",
  ignore: !havePeer("storescp", "dcmtk"),
  async fn() {
    const doc = await Deno.readTextFile(join(root, "docs/scenarios.md"));
    const section = doc.slice(doc.indexOf("## A complete example"));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-docs-run-" });
    try {
      await Deno.mkdir(join(dir, "data"));
      await Deno.copyFile(
        join(root, "fixtures/ae/secondary_capture.dcm"),
        join(dir, "data/ct.dcm"),
      );
      // Its own folder instead of docs/, and a free port instead of 11112.
      const text = example.replace(/^pki: \.\.\//m, `pki: ${root}`)
        .replaceAll("11112", String(freePort()));
      await Deno.writeTextFile(join(dir, "example.yaml"), text);
      const r = await runDicomtls([
        "run",
        "example.yaml",
        "--json",
        "results.json",
        "--pki-cache",
        join(dir, "cache"),
      ], { cwd: dir });
      const { summary } = JSON.parse(await Deno.readTextFile(join(dir, "results.json")));
      assert.deepEqual(
        {
          code: r.code,
          passed: summary.passed,
          failed: summary.failed,
          errors: summary.errors,
          skipped: summary.skipped,
        },
        { code: 0, passed: 10, failed: 0, errors: 0, skipped: 2 },
        r.stdout + r.stderr,
      );
      assert.match(r.stdout, /6 expected failures/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
