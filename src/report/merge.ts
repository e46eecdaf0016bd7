import { type CaseResult, type RunResult, type SuiteResult, summarize } from "../runner/result.ts";

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
  const merged: SuiteResult = {
    name: parts[0].name,
    description: parts[0].description,
    file: parts[0].file,
    target: parts[0].target,
    sanity,
    // Scenario order: shards interleave cases, the file's order does not change.
    cases: [...cases.values()].sort(byPosition),
    error: joinDistinct(parts.map((p) => p.error), "; "),
    peerLog: joinDistinct(parts.map((p) => p.peerLog), "\n--- next shard ---\n"),
    durationMs: parts.reduce((sum, p) => sum + p.durationMs, 0),
  };
  for (const k of ["description", "sanity", "error", "peerLog"] as const) {
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
