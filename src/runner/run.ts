import type { Case, Suite } from "../scenario/mod.ts";
import { HarnessFiles } from "./harness.ts";
import type { CaseResult, RunResult, ShardSelection, SuiteResult } from "./result.ts";
import { summarize } from "./result.ts";
import { runInstance } from "./_instance.ts";
import { relieveMemory } from "../memory/mod.ts";
import { ResultCompactor } from "./compact.ts";

/** Cases done so far, for progress lines. */
export interface RunProgress {
  /** Cases finished. */
  done: number;
  /** Cases selected for the run. */
  total: number;
  /** Finished cases that failed or errored. */
  failures: number;
}

/** Options of {@linkcode runSuites}. */
export interface RunOptions {
  /** The loaded suites, e.g. from `loadSuites`. */
  suites: Suite[];
  /** The cases to run (all of the suites' cases when omitted), e.g. after `selectCases`. */
  cases?: Case[];
  /** Cases at once per target; a suite's own `concurrency` can lower it. Default 4. */
  concurrency?: number;
  /** Overrides every case's timeout. */
  caseTimeoutMs?: number;
  /** Deadline of the whole run; unfinished cases are then `interrupted`. */
  deadlineMs?: number;
  /** Aborting it (Ctrl-C) stops the run: finished cases are kept, the rest are `interrupted`. */
  signal?: AbortSignal;
  /** This run's shard, recorded in the result. */
  shard?: { index: number; total: number; selection?: ShardSelection };
  /** Called as each case ends. */
  onCase?: (result: CaseResult, progress: RunProgress) => void;
  /**
   * Told what an operator must do now (an inbound case's manual trigger);
   * default: printed on stderr.
   */
  onNotice?: (text: string) => void;
  /** The tool version recorded in the result; default this package's. */
  version?: string;
}

/**
 * Runs scenario cases against their targets and returns the
 * {@linkcode RunResult}. Suite instances run one after another (each may
 * start its SUT on a fixed port); their cases run concurrently up to the
 * limit. Each instance first runs a sanity check: when its target does not
 * answer TLS, every case is an `error`, never a pass. Started SUT processes
 * are stopped by PID afterwards, also on failure, deadline or Ctrl-C.
 *
 * @example
 * ```ts
 * import { runSuites } from "./run.ts";
 * import { loadSuites } from "../scenario/mod.ts";
 * const suites = await loadSuites(["scenarios/demo"]);
 * const run = await runSuites({ suites, concurrency: 8 });
 * console.log(run.summary);
 * ```
 */
export async function runSuites(options: RunOptions): Promise<RunResult> {
  const started = new Date();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener("abort", onAbort);
  if (options.signal?.aborted) stop.abort();
  const deadline = options.deadlineMs === undefined
    ? undefined
    : setTimeout(() => stop.abort(), options.deadlineMs);

  const selected = new Set(
    (options.cases ?? options.suites.flatMap((s) => s.cases)).map((c) => c.id),
  );
  const progress: RunProgress = { done: 0, total: selected.size, failures: 0 };
  const compactor = new ResultCompactor();
  const report = (r: CaseResult) => {
    progress.done++;
    if (r.status === "failed" || r.status === "error") progress.failures++;
    options.onCase?.(r, { ...progress });
    // Final and shown: from now on it only waits for the reports (see ResultCompactor).
    compactor.compact(r);
  };
  const harness = new HarnessFiles();
  const results: SuiteResult[] = [];
  relieveMemory({ force: true }); // what loading a large suite left behind
  try {
    for (const suite of options.suites) {
      // Grouped once: filtering all cases per instance was quadratic in a large matrix.
      const byGroup = Map.groupBy(suite.cases.filter((c) => selected.has(c.id)), (c) => c.group);
      for (const instance of suite.instances) {
        const cases = byGroup.get(instance.id) ?? [];
        if (cases.length === 0) continue;
        results.push(
          await runInstance({
            suite,
            instance,
            cases,
            options,
            harness,
            stop: stop.signal,
            report,
          }),
        );
      }
    }
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener("abort", onAbort);
  }
  const finished = new Date();
  return {
    schemaVersion: 1,
    tool: { name: "dicomtls", version: options.version ?? "0.1.0" },
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    ...(options.shard ? { shards: [options.shard] } : {}),
    interrupted: stop.signal.aborted,
    suites: results,
    summary: summarize(results),
  };
}
