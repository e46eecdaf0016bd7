import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { mergeResults, parseRunResult, renderJson } from "./mod.ts";
import type { RunResult } from "../runner/result.ts";
import { sampleRun, shardRun as shard } from "../testing/sample_run.ts";

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
