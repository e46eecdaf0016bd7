// `dicomtls merge` as a program: shard files in, the three reports and the
// exit code out (mergeResults itself is tested beside it, src/report/merge_test.ts).
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parseRunResult, renderJson } from "../src/report/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
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
    ok(
      absent.err.includes(`cannot read results.json ${dir}/absent.json: no such file`),
      absent.err,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dicomtls merge refuses a missing shard, shards of two splits and a case with two answers (exit 2, no report)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-merge-" });
  try {
    const write = async (name: string, run: RunResult) => {
      await Deno.writeTextFile(`${dir}/${name}`, renderJson(run));
      return `${dir}/${name}`;
    };
    const [s1, s2, s3] = await Promise.all(
      shard(sampleRun(), 3).map((s, i) => write(`s${i + 1}of3.json`, s)),
    );
    const [h1] = await Promise.all(
      shard(sampleRun(), 2).map((s, i) => write(`s${i + 1}of2.json`, s)),
    );
    const refused = async (files: string[], line: string) => {
      const r = await dicomtls(["merge", ...files, "--json", `${dir}/out.json`]);
      strictEqual(r.code, 2, `${r.out}${r.err}`);
      strictEqual(r.out, "");
      strictEqual(r.err.trim().split("\n").length, 1, r.err);
      ok(r.err.startsWith(`dicomtls merge: ${line}`), r.err);
      ok(r.err.includes("(hint: "), r.err);
      await Deno.stat(`${dir}/out.json`).then(() => ok(false, "a report was written"), () => {});
    };
    await refused([s2, s3], `shard 1/3 missing: got 2/3 (${s2}), 3/3 (${s3})`);
    await refused([s3], `shards 1/3, 2/3 missing: got 3/3 (${s3})`);
    await refused([s1, h1, s2, s3], `shards of different splits: 1/3 (${s1}) and 1/2 (${h1})`);

    // One case, two answers: refused whichever file comes first.
    const passed = sampleRun();
    const failed = sampleRun();
    const i = passed.suites[0].cases.findIndex((c) => c.status === "passed");
    const id = passed.suites[0].cases[i].id;
    failed.suites[0].cases[i] = { ...failed.suites[0].cases[i], status: "failed" };
    const [p, f] = [await write("p.json", passed), await write("f.json", failed)];
    await refused([p, f], `case '${id}' passed in ${p} and failed in ${f}`);
    await refused([f, p], `case '${id}' failed in ${f} and passed in ${p}`);

    // One case in two shards of one split: the jobs selected different cases.
    const [a, b] = shard(sampleRun(), 2);
    b.suites[0].cases.push(a.suites[0].cases[0]);
    const [fa, fb] = [await write("a.json", a), await write("b.json", b)];
    await refused(
      [fa, fb],
      `case '${
        a.suites[0].cases[0].id
      }' is in shard 1/2 (${fa}) and in 2/2 (${fb}): the shards ran different selections`,
    );

    // Every shard, in any order, and an interrupted copy beside a finished one: merged.
    const all = await dicomtls(["merge", s3, s1, s2]);
    strictEqual(all.code, 1, all.err);
    ok(all.out.startsWith("5 passed, 1 failed, 3 errors"), all.out);
    const again = sampleRun();
    const intr = again.suites[0].cases.findIndex((c) => c.status === "interrupted");
    const done = sampleRun();
    done.suites[0].cases[intr] = { ...done.suites[0].cases[intr], status: "passed" };
    const both = await dicomtls([
      "merge",
      await write("i.json", again),
      await write("d.json", done),
    ]);
    strictEqual(both.code, 1, both.err);
    ok(
      both.out.startsWith("6 passed, 1 failed, 3 errors, 1 skipped, 1 expected failures in"),
      both.out,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dicomtls merge refuses a results file over 256 MiB and inputs over 512 MiB in all before reading them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-merge-" });
  try {
    // Sparse: as large as stat says, nothing written.
    const sparse = async (name: string, mib: number) => {
      using f = await Deno.open(`${dir}/${name}`, { write: true, create: true });
      await f.truncate(mib * 1024 * 1024);
      return `${dir}/${name}`;
    };
    const big = await sparse("big.json", 257);
    const r = await dicomtls(["merge", big]);
    strictEqual(r.code, 2, r.err);
    strictEqual(
      r.err.trim(),
      `dicomtls merge: cannot read results.json ${big}: it is larger than the 256 MiB a results.json may be (hint: merge the results of a run of fewer cases, or split it into more shards)`,
    );
    const parts = [];
    for (const k of [1, 2, 3]) parts.push(await sparse(`part-${k}.json`, 200));
    const all = await dicomtls(["merge", ...parts]);
    strictEqual(all.code, 2, all.err);
    strictEqual(
      all.err.trim(),
      "dicomtls merge: the 3 results given hold 600 MiB, more than the 512 MiB merge reads (hint: merge the results of a run of fewer cases)",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
