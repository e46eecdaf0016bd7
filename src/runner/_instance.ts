import type { Case, Suite, SuiteInstance } from "../scenario/mod.ts";
import { relieveMemory } from "../memory/mod.ts";
import type { HarnessFiles } from "./harness.ts";
import type { CaseResult, SuiteResult } from "./result.ts";
import type { RunOptions } from "./run.ts";
import { notRun, runCase } from "./_case.ts";
import { checkTarget, checkTcp, sanityResult } from "./sanity.ts";
import { type StartedSut, startSut } from "./sut.ts";
import { TargetWatch } from "./target_watch.ts";
import { trustedAssociationCheck, trustedCase } from "./trusted_association.ts";
import { runInboundCases } from "./_inbound_case.ts";
import { aboutTransport } from "./_about_transport.ts";
import { TargetProfiles } from "./profile_check.ts";

/** One suite instance of a run: its cases, and what the run shares with it. */
export interface InstanceRun {
  suite: Suite;
  instance: SuiteInstance;
  cases: Case[];
  options: RunOptions;
  harness: HarnessFiles;
  stop: AbortSignal;
  report: (r: CaseResult) => void;
}

/**
 * Runs one suite instance: starts its SUT, checks that it answers TLS,
 * runs its cases concurrently up to the limit, and stops the SUT, also on
 * failure or Ctrl-C.
 */
export async function runInstance(run: InstanceRun): Promise<SuiteResult> {
  const { suite, instance, cases, stop } = run;
  const began = performance.now();
  const label = instance.matrix
    ? ` [${Object.entries(instance.matrix).map(([k, v]) => `${k}=${v}`).join(", ")}]`
    : "";
  const result: SuiteResult = {
    name: `${instance.name}${label}`,
    ...(instance.description !== undefined ? { description: instance.description } : {}),
    file: suite.file,
    target: {
      host: instance.sut.host,
      port: instance.sut.port,
      ae: instance.sut.ae,
      role: instance.sut.role,
    },
    cases: [],
    durationMs: 0,
  };
  const finishAll = (status: CaseResult["status"], message: string) => {
    for (const c of cases) {
      const r = notRun(c, status, message);
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
    if (instance.sut.role === "scu") {
      // Inbound: the SUT connects to us; each case checks its own listener first.
      Object.assign(result, await runInboundCases(run, { runCases }));
      return result;
    }
    // As long as a case may wait (--timeout, else the first case's timeout), and no longer
    // than the run: the deadline or Ctrl-C abandons it.
    const timeoutMs = run.options.caseTimeoutMs ?? cases[0].timeoutMs;
    result.sanity = await sanityResult(cases[0], sut.port, { timeoutMs, signal: stop });
    if (stop.aborted) {
      // No verdict on the target: its cases were not run, as when a run stops between cases.
      finishAll("interrupted", "the run was stopped before this case started");
      return result;
    }
    const target = { host: instance.sut.host, port: sut.port };
    const watch = new TargetWatch({
      cases,
      recheck: () => checkTarget(target, { timeoutMs }),
      trusted: () => {
        // Looked up only when needed: a large matrix has many instances of many cases.
        const trusted = trustedCase(suite.cases, cases[0].group);
        return trusted &&
          trustedAssociationCheck(trusted, { harness: run.harness, port: target.port, timeoutMs });
      },
    });
    const profiles = new TargetProfiles(target);
    if (result.sanity.status !== "passed") {
      // Cases about the transport itself (plain DICOM, expecting not-tls or a TCP
      // result) still run: a target that does not speak TLS is what they check.
      result.error = `sanity check failed: ${result.sanity.message}`;
      const message = `target not usable: ${result.sanity.message}`;
      const ran = await runCases({ ...run, cases: cases.filter(aboutTransport) }, {
        port: sut.port,
        watch: new TargetWatch({
          cases,
          recheck: () => checkTcp(target, { timeoutMs }),
          tcpOnly: true,
        }),
      });
      const byId = new Map(ran.map((r) => [r.id, r]));
      result.cases = cases.map((c) => byId.get(c.id) ?? notRun(c, "error", message));
      result.cases.filter((r) => !byId.has(r.id)).forEach(run.report);
      return result;
    }
    result.cases = await runCases(run, { port: sut.port, watch, profiles });
    if (profiles.report) result.probe = profiles.report;
    if (watch.gone) result.error = watch.gone.message;
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

/**
 * The cases, concurrently up to the run's and the instance's limits (and
 * `limit`), in their order; each by `runOne`, or against the target.
 */
export async function runCases(
  run: InstanceRun,
  target: {
    port?: number;
    watch?: TargetWatch;
    profiles?: TargetProfiles;
    limit?: number;
    runOne?: (c: Case) => Promise<CaseResult>;
  },
): Promise<CaseResult[]> {
  const { cases, stop } = run;
  const limit = Math.max(
    1,
    Math.min(
      run.options.concurrency ?? 4,
      run.instance.concurrency ?? Infinity,
      target.limit ?? Infinity,
    ),
  );
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) {
      const c = cases[i];
      const r = stop.aborted
        ? notRun(c, "interrupted", "the run was stopped before this case started")
        : target.runOne
        ? await target.runOne(c)
        : await runCase(c, {
          harness: run.harness,
          port: target.port!,
          caseTimeoutMs: run.options.caseTimeoutMs,
          stop,
          watch: target.watch!,
          profiles: target.profiles,
        });
      results[i] = r;
      run.report(r);
      relieveMemory();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, cases.length) }, worker));
  return results;
}
