/**
 * Two runs started together on a cold PKI cache (shards of one job on one
 * machine) generate a suite's PKI one at a time: before, each wrote the same
 * cache folder, one took keys and certificates of the other, and the demo's
 * chain suite got FAILs and ERRORs that were our own doing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { RunResult } from "../src/runner/result.ts";
import { spawnDicomtls } from "../src/testing/cli.ts";

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test("two runs on one cold PKI cache both pass the demo chain suite", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-shared-cache-" });
  try {
    // Four rounds: before the fix, 1 test run in 2 of two rounds each failed.
    for (const round of [1, 2, 3, 4]) {
      const cache = join(dir, `cache${round}`);
      const runs = await Promise.all(["a", "b"].map((name) =>
        spawnDicomtls([
          "run",
          join(ROOT, "scenarios/demo/chain.yaml"),
          "--pki-cache",
          cache,
          "--reports",
          join(dir, `${round}${name}`),
        ]).output()
      ));
      for (const [i, r] of runs.entries()) {
        const results: RunResult = JSON.parse(
          await Deno.readTextFile(join(dir, `${round}${"ab"[i]}`, "results.json")),
        );
        const { passed, total } = results.summary;
        assert.equal(passed, total, new TextDecoder().decode(r.stdout));
        assert.equal(r.code, 0);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
