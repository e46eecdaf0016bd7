// `dicomtls merge` as a program: shard files in, the three reports and the
// exit code out (mergeResults itself is tested beside it, src/report/merge_test.ts).
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parseRunResult, renderJson } from "../src/report/mod.ts";
import { summarize } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { sampleRun, shardRun as shard } from "../src/testing/sample_run.ts";

async function dicomtls(args: string[]) {
  const r = await runDicomtls(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

Deno.test("dicomtls merge joins shard files, writes the three reports and exits 1 on failures", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-merge-" });
  try {
    const shards = shard(sampleRun(), 2);
    const files = shards.map((_, i) => `${dir}/shard-${i + 1}.json`);
    await Promise.all(shards.map((s, i) => Deno.writeTextFile(files[i], renderJson(s))));
    const out = `${dir}/out`;
    const r = await dicomtls([
      "merge",
      ...files,
      "--junit",
      `${out}/junit.xml`,
      "--html",
      `${out}/report.html`,
      "--json",
      `${out}/results.json`,
    ]);
    strictEqual(r.code, 1, r.err);
    strictEqual(
      r.out.trim(),
      "5 passed, 1 failed, 3 errors, 1 skipped, 1 expected failures, 1 interrupted in 2.1 s (run interrupted)",
    );
    const merged = parseRunResult(await Deno.readTextFile(`${out}/results.json`), "results.json");
    deepStrictEqual(merged.summary, sampleRun().summary);
    ok(
      (await Deno.readTextFile(`${out}/junit.xml`)).includes(
        '<testsuites name="dicomtls" tests="12"',
      ),
    );
    ok((await Deno.readTextFile(`${out}/report.html`)).startsWith("<!DOCTYPE html>"));

    // All passed: exit 0.
    const passing = sampleRun();
    passing.suites = passing.suites.map((s) => ({
      ...s,
      cases: s.cases.filter((c) => c.status === "passed"),
    }));
    passing.summary = summarize(passing.suites);
    passing.interrupted = false;
    await Deno.writeTextFile(`${dir}/passing.json`, renderJson(passing));
    const ok0 = await dicomtls(["merge", `${dir}/passing.json`]);
    strictEqual(ok0.code, 0, ok0.err);
    strictEqual(
      ok0.out.trim(),
      "5 passed, 0 failed, 0 errors, 0 skipped, 0 expected failures in 2.1 s",
    );

    // A bad input: exit 2, the file named, no report replaced.
    await Deno.writeTextFile(
      `${dir}/bad.json`,
      renderJson(sampleRun()).replace('"schemaVersion": 1', '"schemaVersion": 9'),
    );
    const before = await Deno.readTextFile(`${out}/junit.xml`);
    const bad = await dicomtls([
      "merge",
      files[0],
      `${dir}/bad.json`,
      "--junit",
      `${out}/junit.xml`,
    ]);
    strictEqual(bad.code, 2);
    strictEqual(bad.err.trim().split("\n").length, 1, bad.err);
    ok(bad.err.includes(`${dir}/bad.json: schemaVersion is 9`), bad.err);
    strictEqual(await Deno.readTextFile(`${out}/junit.xml`), before);

    const absent = await dicomtls(["merge", `${dir}/absent.json`]);
    strictEqual(absent.code, 2);
    ok(absent.err.includes(`cannot read ${dir}/absent.json`), absent.err);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
