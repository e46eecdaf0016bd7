import {
  type CaseResult,
  type RunResult,
  type ShardSelection,
  type SuiteResult,
  summarize,
} from "../runner/result.ts";
import { InputError } from "../yaml/mod.ts";

// A case that finished beats one that was cut short, when two shards both have it.
const unfinished = (c: CaseResult) => c.status === "interrupted";

function byPosition(a: CaseResult, b: CaseResult): number {
  return (a.location.line ?? 0) - (b.location.line ?? 0) ||
    (a.location.column ?? 0) - (b.location.column ?? 0);
}

function joinDistinct(values: (string | undefined)[], separator: string): string | undefined {
  const distinct = [...new Set(values.filter((v): v is string => !!v))];
  return distinct.length ? distinct.join(separator) : undefined;
}

function mergeSuites(parts: SuiteResult[]): SuiteResult {
  const cases = new Map<string, CaseResult>();
  for (const c of parts.flatMap((p) => p.cases)) {
    const seen = cases.get(c.id);
    if (!seen || (unfinished(seen) && !unfinished(c))) cases.set(c.id, c);
  }
  // Each shard ran its own sanity case: show a failed one, it explains the errors.
  const sanities = parts.map((p) => p.sanity).filter((s): s is CaseResult => !!s);
  const sanity = sanities.find((s) => s.status !== "passed") ?? sanities[0];
  // Each shard with a profile case probed the target: keep one, one that reached it first.
  const probes = parts.map((p) => p.probe).filter((p) => p !== undefined);
  const probe = probes.find((p) => p.reached) ?? probes[0];
  const merged: SuiteResult = {
    name: parts[0].name,
    description: parts[0].description,
    file: parts[0].file,
    target: parts[0].target,
    sanity,
    // Scenario order: shards interleave cases, the file's order does not change.
    cases: [...cases.values()].sort(byPosition),
    probe,
    error: joinDistinct(parts.map((p) => p.error), "; "),
    peerLog: joinDistinct(parts.map((p) => p.peerLog), "\n--- next shard ---\n"),
    durationMs: parts.reduce((sum, p) => sum + p.durationMs, 0),
  };
  for (const k of ["description", "sanity", "probe", "error", "peerLog"] as const) {
    if (merged[k] === undefined) delete merged[k];
  }
  return merged;
}

/**
 * Joins the results of several shards (`run --shard K/N`) into one run:
 * suites with the same file and name are merged, cases deduplicated by id
 * (a finished case wins over an interrupted copy) and put in scenario order,
 * the summary recomputed, the shards listed, `interrupted` set if any shard
 * was interrupted. The run spans the earliest start to the latest finish.
 *
 * @example
 * ```ts
 * import { mergeResults } from "./merge.ts";
 * import { readRunResult } from "./json.ts";
 * const run = mergeResults([await readRunResult("shard-1.json"), await readRunResult("shard-2.json")]);
 * ```
 */
export function mergeResults(runs: readonly RunResult[]): RunResult {
  if (runs.length === 0) throw new RangeError("Cannot merge results: no run given");
  const groups = new Map<string, SuiteResult[]>();
  for (const suite of runs.flatMap((r) => r.suites)) {
    const key = JSON.stringify([suite.file, suite.name]);
    groups.set(key, [...(groups.get(key) ?? []), suite]);
  }
  const suites = [...groups.values()].map(mergeSuites);
  const startedAt = runs.map((r) => r.startedAt).sort()[0];
  const finishedAt = runs.map((r) => r.finishedAt).sort().at(-1)!;
  const span = Date.parse(finishedAt) - Date.parse(startedAt);
  // Each shard keeps the command line and host of the run that produced it.
  const shardList = new Map(
    runs.flatMap((r) =>
      (r.shards ?? []).map((s) => {
        const invocation = s.invocation ?? r.invocation;
        return { ...s, ...(invocation ? { invocation } : {}) };
      })
    ).map((s) => [`${s.index}/${s.total}`, s]),
  );
  const merged: RunResult = {
    schemaVersion: 1,
    tool: runs[0].tool,
    startedAt,
    finishedAt,
    durationMs: Number.isFinite(span) ? span : Math.max(...runs.map((r) => r.durationMs)),
    shards: [...shardList.values()].sort((a, b) => a.index - b.index),
    interrupted: runs.some((r) => r.interrupted),
    suites,
    summary: summarize(suites),
  };
  if (!merged.shards!.length) delete merged.shards;
  return merged;
}

/** One input of `merge`: a run and the file it was read from. */
export interface MergeInput {
  /** The results.json, as named on the command line. */
  file: string;
  /** Its run. */
  run: RunResult;
}

/**
 * Refuses inputs whose merge would claim more than what ran, with an
 * {@linkcode InputError} naming the files: shards of different splits (1/3
 * with 1/2), shards whose runs selected different cases (`--filter`,
 * `--tag`, other suites: their recorded selection, where they have one), a
 * shard missing (2/3 and 3/3 without 1/3), one case in two
 * shards of a split (the jobs selected different cases, so others may be in
 * none), or one case finished with two different statuses in two files (which
 * one is true?). An interrupted copy beside a finished one is no conflict: the
 * finished one is kept. Runs without `--shard` are checked for conflicts only.
 *
 * @example
 * ```ts
 * import { checkMergeInputs } from "./merge.ts";
 * import { readRunResult } from "./json.ts";
 * const files = ["shard-1.json", "shard-2.json"];
 * checkMergeInputs(await Promise.all(files.map(async (file) => ({ file, run: await readRunResult(file) }))));
 * ```
 */
export function checkMergeInputs(inputs: readonly MergeInput[]): void {
  const hint =
    "merge the results.json of every shard of one run (a shard with no case writes one too)";
  const shards = inputs.flatMap(({ file, run }) =>
    (run.shards ?? []).map((s) => ({ file, index: s.index, total: s.total }))
  );
  const name = (s: { index: number; total: number; file: string }) =>
    `${s.index}/${s.total} (${s.file})`;
  const other = shards.find((s) => s.total !== shards[0].total);
  if (other) {
    throw new InputError({
      message: `shards of different splits: ${name(shards[0])} and ${name(other)}`,
      hint,
    });
  }
  checkSelections(inputs);
  if (shards.length) {
    const total = shards[0].total;
    const have = new Set(shards.map((s) => s.index));
    const missing = Array.from({ length: total }, (_, i) => i + 1).filter((k) => !have.has(k));
    if (missing.length) {
      const list = missing.map((k) => `${k}/${total}`).join(", ");
      throw new InputError({
        message: `shard${missing.length > 1 ? "s" : ""} ${list} missing: got ${
          [...shards].sort((a, b) => a.index - b.index).map(name).join(", ")
        }`,
        hint,
      });
    }
  }
  const seen = new Map<string, { file: string; c: CaseResult; shard?: number }>();
  for (const { file, run } of inputs) {
    // The shard a case ran in, when the file is one shard (not itself a merge).
    const shard = run.shards?.length === 1 ? run.shards[0].index : undefined;
    for (const suite of run.suites) {
      for (const c of suite.cases) {
        const key = JSON.stringify([suite.file, suite.name, c.id]);
        const first = seen.get(key);
        if (!first) {
          seen.set(key, { file, c, shard });
          continue;
        }
        if (first.shard !== undefined && shard !== undefined && first.shard !== shard) {
          const total = run.shards![0].total;
          throw new InputError({
            message:
              `case '${c.id}' is in shard ${first.shard}/${total} (${first.file}) and in ${shard}/${total} (${file}): the shards ran different selections`,
            hint: "run every shard with the same suites, filters and tags",
          });
        }
        if (!unfinished(first.c) && !unfinished(c) && first.c.status !== c.status) {
          throw new InputError({
            message: `case '${c.id}' ${first.c.status} in ${first.file} and ${c.status} in ${file}`,
            hint: "merge the results of one run; run the case again for one answer",
          });
        }
      }
    }
  }
}

// Shards of one split whose jobs selected different cases: their merge would leave cases out
// that no shard ran. Results written before the selection was recorded are not compared.
function checkSelections(inputs: readonly MergeInput[]): void {
  const selected = inputs.flatMap(({ file, run }) =>
    (run.shards ?? []).flatMap((s) => s.selection ? [{ file, ...s, selection: s.selection }] : [])
  );
  const other = selected.find((s) => s.selection.sha256 !== selected[0]?.selection.sha256);
  if (!other) return;
  const said = (s: (typeof selected)[number]) =>
    `${s.index}/${s.total} (${s.file}) selected ${s.selection.cases} case${
      s.selection.cases === 1 ? "" : "s"
    } with ${flags(s.selection)}`;
  throw new InputError({
    message: `shards of different selections: ${said(selected[0])}, ${said(other)}`,
    hint: "run every shard with the same suites, --filter, --tag and --exclude-tag",
  });
}

function flags(s: ShardSelection): string {
  const given = [
    ...(s.filter !== undefined ? [`--filter '${s.filter}'`] : []),
    ...(s.tags ?? []).map((t) => `--tag ${t}`),
    ...(s.excludeTags ?? []).map((t) => `--exclude-tag ${t}`),
  ];
  return given.length ? given.join(" ") : "no --filter or --tag";
}
