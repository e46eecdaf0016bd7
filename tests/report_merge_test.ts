import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { mergeResults, parseRunResult, renderJson } from "../src/report/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
import { summarize } from "../src/runner/result.ts";
import { sampleRun } from "../fixtures/report/sample.ts";

/** Splits a run into N shards the way --shard K/N does: every N-th case. */
function shard(run: RunResult, total: number): RunResult[] {
  return Array.from({ length: total }, (_, k) => {
    const suites = run.suites.map((s) => ({
      ...s,
      cases: s.cases.filter((_, i) => i % total === k),
      durationMs: s.durationMs / total,
    }));
    return {
      ...run,
      shards: [{ index: k + 1, total }],
      interrupted: suites.some((s) => s.cases.some((c) => c.status === "interrupted")),
      suites,
      summary: summarize(suites),
    };
  });
}

// As `merge` sees them: written by renderJson, read back by parseRunResult.
const viaJson = (run: RunResult) => parseRunResult(renderJson(run), "results.json");

Deno.test("mergeResults() of two shards equals the unsharded run", () => {
  const whole = sampleRun();
  const merged = mergeResults(shard(whole, 2).map(viaJson));
  const expected = viaJson(whole);
  deepStrictEqual(merged.suites, expected.suites);
  deepStrictEqual(merged.summary, expected.summary);
  strictEqual(merged.interrupted, true);
  deepStrictEqual(merged.shards, [{ index: 1, total: 2 }, { index: 2, total: 2 }]);
  strictEqual(merged.startedAt, whole.startedAt);
  strictEqual(merged.finishedAt, whole.finishedAt);
});

Deno.test("mergeResults() deduplicates cases by id, preferring a finished case to an interrupted copy", () => {
  const a = sampleRun();
  const b = sampleRun();
  const intr = a.suites[0].cases.findIndex((c) => c.status === "interrupted");
  b.suites[0].cases[intr] = { ...b.suites[0].cases[intr], status: "passed", message: undefined };
  const merged = mergeResults([a, b]);
  strictEqual(merged.summary.total, a.summary.total);
  strictEqual(merged.suites[0].cases[intr].status, "passed");
  strictEqual(merged.summary.interrupted, 0);
  strictEqual(
    merged.interrupted,
    true,
    "a shard that was stopped keeps the run marked interrupted",
  );
});

Deno.test("mergeResults() keeps suites apart when their file or name differ and ORs interrupted", () => {
  const a = sampleRun();
  const b: RunResult = { ...sampleRun(), interrupted: false };
  b.suites = b.suites.map((s) => ({ ...s, file: s.file.replace("scenarios/", "other/") }));
  const merged = mergeResults([{ ...a, interrupted: false }, b]);
  strictEqual(merged.suites.length, 6);
  strictEqual(merged.summary.total, 24);
  strictEqual(merged.interrupted, false);
  strictEqual(merged.shards, undefined);
  ok(mergeResults([a, b]).interrupted);
});

Deno.test("mergeResults() shows a failed sanity case from any shard", () => {
  const [one, two] = shard(sampleRun(), 2);
  two.suites[0].sanity = { ...two.suites[0].sanity!, status: "error", message: "tcp refused" };
  strictEqual(mergeResults([one, two]).suites[0].sanity?.status, "error");
});

const MOD = new URL("../mod.ts", import.meta.url).pathname;

async function dicomtls(args: string[]) {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
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
