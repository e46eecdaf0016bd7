import { runScu } from "../ae/scu.ts";
import type { Case, Suite, SuiteInstance } from "../scenario/mod.ts";
import { connectTls } from "../tls/mod.ts";
import { InputError } from "../yaml/mod.ts";
import { caseMessage, caseStatus, evaluateExpectations } from "./expect.ts";
import { caseSettings, HarnessFiles } from "./harness.ts";
import type { CaseResult, RunResult, SuiteResult } from "./result.ts";
import { summarize } from "./result.ts";
import { type StartedSut, startSut } from "./sut.ts";
import { relieveMemory } from "../memory/mod.ts";

/** Cases done so far, for progress lines. */
export interface RunProgress {
  done: number;
  total: number;
  failures: number;
}

/** Options of {@linkcode runSuites}. */
export interface RunOptions {
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
  shard?: { index: number; total: number };
  /** Called as each case ends. */
  onCase?: (result: CaseResult, progress: RunProgress) => void;
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
  const report = (r: CaseResult) => {
    progress.done++;
    if (r.status === "failed" || r.status === "error") progress.failures++;
    options.onCase?.(r, { ...progress });
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

interface InstanceRun {
  suite: Suite;
  instance: SuiteInstance;
  cases: Case[];
  options: RunOptions;
  harness: HarnessFiles;
  stop: AbortSignal;
  report: (r: CaseResult) => void;
}

async function runInstance(run: InstanceRun): Promise<SuiteResult> {
  const { suite, instance, cases, stop } = run;
  const began = performance.now();
  const label = instance.matrix
    ? ` [${Object.entries(instance.matrix).map(([k, v]) => `${k}=${v}`).join(", ")}]`
    : "";
  const result: SuiteResult = {
    name: `${suite.name}${label}`,
    file: suite.file,
    target: { host: instance.sut.host, port: instance.sut.port, ae: instance.sut.ae },
    cases: [],
    durationMs: 0,
  };
  const finishAll = (status: CaseResult["status"], message: string, list = cases) => {
    for (const c of list) {
      const r = emptyResult(c, status, message);
      result.cases.push(r);
      run.report(r);
    }
  };

  let sut: StartedSut | undefined;
  try {
    if (stop.aborted) {
      finishAll("interrupted", "the run was stopped before this case started");
      return result;
    }
    try {
      sut = await startSut(instance, { signal: stop });
    } catch (e) {
      if (stop.aborted) {
        finishAll("interrupted", "the run was stopped while the SUT was starting");
        return result;
      }
      result.error = `the SUT did not start: ${(e as Error).message}`;
      finishAll("error", result.error);
      return result;
    }
    result.target.port = sut.port;
    result.sanity = await sanity(cases[0], sut);
    if (result.sanity.status !== "passed") {
      result.error = `sanity check failed: ${result.sanity.message}`;
      finishAll("error", `target not usable: ${result.sanity.message}`);
      return result;
    }
    const limit = Math.max(
      1,
      Math.min(run.options.concurrency ?? 4, instance.concurrency ?? Infinity),
    );
    const byId = new Map<string, CaseResult>();
    const queue = [...cases];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const r = stop.aborted
          ? emptyResult(c, "interrupted", "the run was stopped before this case started")
          : await runCase(c, { ...run, port: sut!.port });
        byId.set(c.id, r);
        run.report(r);
        relieveMemory();
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, cases.length) }, worker));
    result.cases = cases.map((c) => byId.get(c.id)!);
    return result;
  } finally {
    if (sut) {
      await sut.stop();
      const log = sut.log().trim();
      if (log) result.peerLog = log.split("\n").slice(-40).join("\n");
    }
    result.durationMs = Math.round(performance.now() - began);
  }
}

async function runCase(
  c: Case,
  run: InstanceRun & { port: number },
): Promise<CaseResult> {
  if (c.skip !== undefined) return emptyResult(c, "skipped", c.skip);
  const startedAt = new Date().toISOString();
  const began = performance.now();
  const base = { ...emptyResult(c, "error"), startedAt };
  try {
    const options = await run.harness.scuOptions(c, { port: run.port });
    if (run.options.caseTimeoutMs !== undefined) options.timeoutMs = run.options.caseTimeoutMs;
    // runScu has its own deadline; this one guards against our own bugs, and Ctrl-C.
    const guard = options.timeoutMs + 2000;
    const outcome = await raceAbort(runScu(options), run.stop, guard);
    if (outcome === "interrupted") {
      return { ...base, status: "interrupted", message: "the run was stopped during this case" };
    }
    if (outcome === "timeout") {
      return { ...base, message: `the case did not end within ${guard} ms (a dicomtls bug)` };
    }
    const assertions = evaluateExpectations(c.expect, outcome);
    return {
      ...base,
      status: caseStatus(assertions, { fails: c.expect.fails }),
      message: caseMessage(assertions, { fails: c.expect.fails, outcome }),
      assertions,
      outcome,
      durationMs: Math.round(performance.now() - began),
    };
  } catch (e) {
    const message = e instanceof InputError ? e.message : `internal error: ${(e as Error).message}`;
    return { ...base, message, durationMs: Math.round(performance.now() - began) };
  }
}

// The dead-target check (tlsfuzzer's "sanity" conversation): the SUT must
// accept TCP and answer a TLS ClientHello, with a handshake or a refusal.
async function sanity(first: Case, sut: StartedSut): Promise<CaseResult> {
  const began = performance.now();
  const host = first.sut.host;
  const c = await connectTls({ host, port: sut.port, timeoutMs: 5000 });
  if (c.ok) c.socket.destroy();
  const answered = c.tcp.status === "connected" &&
    (c.ok || c.tls?.status === "refused-by-peer");
  const what = c.tcp.status !== "connected"
    ? `TCP ${c.tcp.status} at ${host}:${sut.port}${c.tcp.error ? ` (${c.tcp.error})` : ""}`
    : c.ok
    ? `TLS ${c.tls.protocol} answered at ${host}:${sut.port}`
    : `no TLS answer at ${host}:${sut.port}: ${c.tls?.status}${
      c.tls?.error ? ` (${c.tls.error})` : ""
    }`;
  return {
    ...emptyResult(first, answered ? "passed" : "error", what),
    id: `${first.group}::sanity`,
    name: "sanity: the target answers TLS",
    settings: {},
    durationMs: Math.round(performance.now() - began),
  };
}

function emptyResult(c: Case, status: CaseResult["status"], message?: string): CaseResult {
  return {
    id: c.id,
    name: c.name,
    suite: c.suite,
    location: c.location,
    peer: c.peer,
    ...(c.matrix ? { matrix: c.matrix } : {}),
    tags: c.tags,
    status,
    ...(message ? { message } : {}),
    assertions: [],
    settings: caseSettings(c),
    startedAt: new Date().toISOString(),
    durationMs: 0,
  };
}

async function raceAbort<T>(
  work: Promise<T>,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<T | "interrupted" | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<"interrupted" | "timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
    onAbort = () => resolve("interrupted");
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort);
  });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort!);
  }
}
