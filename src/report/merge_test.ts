import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { checkMergeInputs, mergeResults, parseRunResult, renderJson } from "./mod.ts";
import type { RunResult } from "../runner/result.ts";
import { sampleRun, shardRun as shard } from "../testing/sample_run.ts";
import { samplePxProbe } from "../testing/full_probe.ts";

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

Deno.test("mergeResults() keeps the suites' and cases' descriptions", () => {
  const merged = mergeResults(shard(sampleRun(), 2).map(viaJson));
  strictEqual(merged.suites[0].description, sampleRun().suites[0].description);
  strictEqual(merged.suites[0].cases[0].description, sampleRun().suites[0].cases[0].description);
  ok(!("description" in merged.suites[1]), "none made up for a suite without one");
});

Deno.test("mergeResults() keeps a suite's probe, which each shard with a profile case has", () => {
  const whole = sampleRun();
  whole.suites[0].probe = samplePxProbe();
  const merged = mergeResults(shard(whole, 2).map(viaJson));
  deepStrictEqual(merged.suites, viaJson(whole).suites);
  ok(merged.suites[0].probe, "the probe is on the merged suite");
  ok(!("probe" in merged.suites[1]), "none made up for a suite without one");
});

Deno.test("checkMergeInputs() refuses shards of one split whose runs selected different cases, and reads older shards without a selection", () => {
  const [one, two] = shard(sampleRun(), 2);
  const picked = (run: RunResult, selection: { filter?: string; sha256: string }) => ({
    ...run,
    shards: run.shards!.map((s) => ({ ...s, selection: { ...selection, cases: 6 } })),
  });
  const a = { filter: "storescp", sha256: "a".repeat(64) };
  const b = { filter: "orthanc", sha256: "b".repeat(64) };
  throws(
    () =>
      checkMergeInputs([
        { file: "s1.json", run: picked(one, a) },
        { file: "s2.json", run: picked(two, b) },
      ]),
    /^InputError: shards of different selections: 1\/2 \(s1\.json\) selected 6 cases with --filter 'storescp', 2\/2 \(s2\.json\) selected 6 cases with --filter 'orthanc'/,
  );
  checkMergeInputs([{ file: "s1.json", run: picked(one, a) }, {
    file: "s2.json",
    run: picked(two, a),
  }]);
  // Written before the selection was recorded: nothing to compare, as before.
  checkMergeInputs([{ file: "s1.json", run: picked(one, a) }, { file: "s2.json", run: two }]);
});
