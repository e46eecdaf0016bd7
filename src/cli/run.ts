import { join } from "node:path";
import {
  CLEAR_LINE,
  renderCaseLine,
  renderHtml,
  renderJson,
  renderJunit,
  renderProgress,
  renderSummary,
  writeReport,
} from "../report/mod.ts";
import type { RunResult } from "../runner/result.ts";
import { relieveMemory } from "../memory/mod.ts";
import { runSuites } from "../runner/run.ts";
import { loadSuites, parseSetFlags, parseShard, selectCases } from "../scenario/mod.ts";
import { InputError } from "../yaml/mod.ts";
import { type Command, EXIT, intFlag, parseFlags } from "./command.ts";

const FLAGS = {
  junit: { type: "string" },
  html: { type: "string" },
  json: { type: "string" },
  reports: { type: "string" },
  concurrency: { type: "string" },
  shard: { type: "string" },
  filter: { type: "string" },
  tag: { type: "string", multiple: true },
  "exclude-tag": { type: "string", multiple: true },
  set: { type: "string", multiple: true },
  timeout: { type: "string" },
  deadline: { type: "string" },
  "pki-cache": { type: "string" },
} as const;

/** Where `run` writes its reports. */
export interface ReportPaths {
  /** JUnit XML file for CI systems. */
  junit?: string;
  /** Self-contained HTML report for people. */
  html?: string;
  /** `results.json`, the input of `dicomtls merge`. */
  json?: string;
}

/**
 * `dicomtls run PATH...`: runs scenario suites and writes JUnit, HTML and JSON
 * reports. Exit 0 when every case passed (or was skipped, or failed as
 * known), 1 when any failed, errored or was interrupted, 2 for invalid input.
 *
 * @example
 * ```ts
 * import { runCommand } from "./run.ts";
 * await runCommand.run(["scenarios/demo", "--reports", "reports/demo"]);
 * ```
 */
export const runCommand: Command = {
  usage: `usage: dicomtls run PATH... [options]

Runs every case of the suites in PATH (scenario files, or folders of *.yaml).
Ctrl-C stops the run: started SUT processes are stopped, finished cases are
reported and the others are marked interrupted.

  --reports DIR      write DIR/junit.xml, DIR/report.html and DIR/results.json
  --junit F          write JUnit XML to F
  --html F           write the HTML report to F
  --json F           write the JSON results to F (input of 'dicomtls merge')
  --concurrency N    cases at once per target (default 4; a suite may lower it)
  --shard K/N        run only part K of N (deterministic; join parts with 'merge')
  --filter TEXT      only cases whose id (file::name) contains TEXT
  --tag TAG          only cases with this tag (repeatable: any of)
  --exclude-tag TAG  not the cases with this tag (repeatable), e.g. negative-control
  --set KEY=VALUE    a value for \${set.KEY} in the suites (repeatable)
  --timeout MS       overrides every case's timeout
  --deadline MS      deadline of the whole run (default 1800000)
  --pki-cache DIR    where generated PKIs are cached (default ~/.cache/dicomtls/pki)

Exit 0: all passed; 1: a case failed, errored or was interrupted; 2: bad input.`,
  async run(args) {
    const { values, positionals } = parseFlags("run", args, FLAGS);
    if (positionals.length === 0) {
      throw new InputError({ message: "no PATH given", hint: "e.g. dicomtls run scenarios/" });
    }
    const paths: ReportPaths = {
      junit: values.junit ?? (values.reports && join(values.reports, "junit.xml")),
      html: values.html ?? (values.reports && join(values.reports, "report.html")),
      json: values.json ?? (values.reports && join(values.reports, "results.json")),
    };
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    const concurrency = values.concurrency === undefined
      ? undefined
      : intFlag("--concurrency", values.concurrency, { min: 1, max: 1000 });
    const caseTimeoutMs = values.timeout === undefined
      ? undefined
      : intFlag("--timeout", values.timeout, { min: 1, max: 3_600_000 });
    const deadlineMs = values.deadline === undefined
      ? 1_800_000
      : intFlag("--deadline", values.deadline, { min: 1, max: 86_400_000 });
    const suites = await loadSuites(positionals, {
      set: parseSetFlags(values.set),
      pkiCacheDir: values["pki-cache"],
    });
    const cases = selectCases(suites.flatMap((s) => s.cases), {
      filter: values.filter,
      tags: values.tag,
      excludeTags: values["exclude-tag"],
      shard,
    });
    if (cases.length === 0) {
      throw new InputError({
        message: `no case selected from ${suites.length} suite(s)`,
        hint: "check --filter, --tag, --exclude-tag and --shard",
      });
    }
    const run = await runWithConsole({
      suites,
      cases,
      concurrency,
      caseTimeoutMs,
      deadlineMs,
      shard: shard && { index: shard.index, total: shard.total },
    });
    await writeReports(run, paths);
    const bad = run.summary.failed + run.summary.errors + run.summary.interrupted;
    return bad === 0 ? EXIT.ok : EXIT.failed;
  },
};

/**
 * Runs with console output (a live progress line on a TTY, one line per case
 * otherwise, a closing summary) and stops cleanly on SIGINT/SIGTERM.
 *
 * @example
 * ```ts
 * import { runWithConsole } from "./run.ts";
 * import { loadSuites } from "../scenario/mod.ts";
 * const suites = await loadSuites(["scenarios/demo"]);
 * const run = await runWithConsole({ suites, concurrency: 4 });
 * ```
 */
export async function runWithConsole(
  options: Omit<Parameters<typeof runSuites>[0], "signal" | "onCase">,
): Promise<RunResult> {
  const tty = Deno.stdout.isTerminal();
  const color = tty && !Deno.env.get("NO_COLOR");
  const stop = new AbortController();
  const onSignal = () => {
    if (!stop.signal.aborted) {
      console.error(`${tty ? CLEAR_LINE : ""}stopping: finishing reports...`);
    }
    stop.abort();
  };
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  signals.forEach((s) => Deno.addSignalListener(s, onSignal));
  try {
    const run = await runSuites({
      ...options,
      signal: stop.signal,
      onCase(result, progress) {
        const line = renderCaseLine(result, { color });
        if (tty) {
          const show = result.status !== "passed" && result.status !== "skipped";
          const text = `${CLEAR_LINE}${show ? `${line}\n` : ""}${
            renderProgress(progress, { color })
          }`;
          Deno.stdout.writeSync(new TextEncoder().encode(text));
        } else console.log(line);
      },
    });
    if (tty) Deno.stdout.writeSync(new TextEncoder().encode(CLEAR_LINE));
    console.log(renderSummary(run, { color }));
    return run;
  } finally {
    signals.forEach((s) => Deno.removeSignalListener(s, onSignal));
  }
}

/**
 * Writes the reports a run asked for, each atomically (a failed write never
 * replaces an earlier report), and says where they are.
 *
 * @example
 * ```ts
 * import { writeReports } from "./run.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReports(run, { html: "reports/report.html" });
 * ```
 */
export async function writeReports(run: RunResult, paths: ReportPaths): Promise<void> {
  const writes: [string | undefined, () => string][] = [
    [paths.junit, () => renderJunit(run)],
    [paths.html, () => renderHtml(run)],
    [paths.json, () => renderJson(run)],
  ];
  for (const [path, render] of writes) {
    if (!path) continue;
    relieveMemory(); // the previous report's text, before rendering the next
    try {
      await writeReport(path, render());
    } catch (e) {
      throw new InputError({
        message: `cannot write ${path}: ${(e as Error).message}`,
        hint: "check that the folder is writable; earlier reports there are unchanged",
      });
    }
    console.log(`wrote ${path}`);
  }
}
