import { join } from "node:path";
import type { JunitOptions, ReportContent } from "../report/mod.ts";
import { terminalSafe } from "../text/mod.ts";
import type { RunResult } from "../runner/result.ts";
import type { runSuites } from "../runner/run.ts";
import { parseShard } from "../scenario/select.ts";
import { InputError } from "../yaml/input_error.ts";
import {
  type Command,
  durationFlag,
  EXIT,
  folderPathFlag,
  intFlag,
  parseFlags,
} from "./command.ts";
import { useColor } from "./_color.ts";
import { currentInvocation, withInvocation } from "./_invocation.ts";
import { SUITE_FLAGS, SUITE_USAGE, suiteLoadOptions } from "./_suite_flags.ts";
import { commandLineInputs, suiteInputs } from "./_run_inputs.ts";

const FLAGS = {
  junit: { type: "string" },
  "junit-strict": { type: "boolean" },
  html: { type: "string" },
  json: { type: "string" },
  reports: { type: "string" },
  concurrency: { type: "string" },
  shard: { type: "string" },
  filter: { type: "string" },
  tag: { type: "string", multiple: true },
  "exclude-tag": { type: "string", multiple: true },
  timeout: { type: "string" },
  deadline: { type: "string" },
  verbose: { type: "boolean", short: "v" },
  ...SUITE_FLAGS,
} as const;

/** Where `run` writes its reports: file paths, or `-` for stdout. */
export interface ReportPaths {
  /** JUnit XML file for CI systems. */
  junit?: string;
  /** Self-contained HTML report for people. */
  html?: string;
  /** `results.json`, the input of `dicomtls merge`. */
  json?: string;
}

/**
 * Exit codes when the cases ran but a report could not be written: 3 when
 * every case passed, 4 when a case failed, errored or was interrupted (as 1
 * would have said). The summary and the failures are printed either way.
 */
export const EXIT_REPORTS_NOT_WRITTEN = { passed: 3, failed: 4 } as const;

// Where console output goes: stdout, or stderr when a report is written to stdout (`-`, /dev/stdout).
type ConsoleStream = typeof Deno.stdout | typeof Deno.stderr;

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

Runs every case of the suites in PATH (scenario files, or folders: their *.yaml
files with a top-level suite:; a PKI spec or variables file beside them is not).
A suite named twice (a folder and a file in it) runs once.
Ctrl-C stops the run: started SUT processes are stopped, finished cases are
reported and the others are marked interrupted.

  --reports DIR      write DIR/junit.xml, DIR/report.html and DIR/results.json
  --junit F          write JUnit XML to F (- or /dev/stdout for stdout: progress
                     then goes to stderr; /dev/stderr is refused)
  --junit-strict     JUnit valid against junit-10.xsd as is (Jenkins xunit plugin):
                     no file and line attributes on testcase
  --html F           write the HTML report to F (or -)
  --json F           write the JSON results to F (or -; input of 'dicomtls merge')
  --concurrency N    cases at once per target (default 4; a suite may lower it)
  --shard K/N        run only part K of N (deterministic; join parts with 'merge')
  --filter TEXT      only cases whose name, suite name or matrix label contains
                     TEXT (any case); the file path is not searched
  --tag TAG          only cases with this tag (repeatable: any of)
  --exclude-tag TAG  not the cases with this tag (repeatable), e.g. negative-control
  --timeout T        overrides every case's timeout (500ms, 5s, 2m; a bare
                     number is milliseconds)
  --deadline T       deadline of the whole run (default 30m)
  -v, --verbose      on a terminal, a line for every case (passes too), not
                     only for the failures (in a pipe every case has a line)
${SUITE_USAGE}

Colour: on a terminal unless NO_COLOR is set; FORCE_COLOR=1 forces it (also
into a pipe).

Reports are checked before the first case (exit 2 when one cannot be written),
written to temporary files and renamed together at the end; a report path
replaces only a regular file (a symbolic link is written through; a folder or
a device is refused; /dev/stdout, /dev/fd/1 and /proc/self/fd/1 are -).

Exit 0: all passed; 1: a case failed, errored or was interrupted; 2: bad input;
3: all passed but a report could not be written; 4: a case failed and a report
could not be written.`,
  async run(args) {
    const { values, positionals } = parseFlags("run", args, FLAGS);
    if (positionals.length === 0) {
      throw new InputError({ message: "no PATH given", hint: "e.g. dicomtls run scenarios/" });
    }
    folderPathFlag("--reports", values.reports, "--reports reports/");
    const paths: ReportPaths = {
      junit: values.junit ?? (values.reports && join(values.reports, "junit.xml")),
      html: values.html ?? (values.reports && join(values.reports, "report.html")),
      json: values.json ?? (values.reports && join(values.reports, "results.json")),
    };
    // Labelled so that a clash names the options: --reports' file and an explicit one.
    const requests = (["junit", "html", "json"] as const)
      .filter((k) => paths[k] !== undefined)
      .map((k) => ({ path: paths[k]!, label: values[k] !== undefined ? `--${k}` : "--reports" }));
    // The flags' values before any file is read or module loaded: a refused line is cheap.
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    const concurrency = values.concurrency === undefined
      ? undefined
      : intFlag("--concurrency", values.concurrency, { min: 1, max: 1000, example: 4 });
    const caseTimeoutMs = values.timeout === undefined
      ? undefined
      : durationFlag("--timeout", values.timeout, { min: 1, max: 3_600_000, example: "5s" });
    const deadlineMs = values.deadline === undefined
      ? 1_800_000
      : durationFlag("--deadline", values.deadline, { min: 1, max: 86_400_000, example: "30m" });
    const [
      { findSuites, loadSuites, repeatedText, selectCases },
      { checkReportClashes, checkReportTargets, ReportWriteError },
      { shardSelection },
    ] = await Promise.all([
      import("../scenario/mod.ts"),
      import("../report/mod.ts"),
      import("../runner/shard_selection.ts"),
    ]);
    // No report may replace what the run reads: checked before any folder is made.
    const found = await findSuites(positionals);
    for (const r of found.repeated) {
      console.error(`dicomtls run: note: ${terminalSafe(repeatedText(r))}: it runs once`);
    }
    const checked = await checkReportTargets(requests, {
      inputs: await commandLineInputs(found, values),
    });
    // -, /dev/stdout and the other names of stdout alike: the report alone on stdout.
    const out: ConsoleStream = checked.some((t) => t.kind === "stdout") ? Deno.stderr : Deno.stdout;
    const suites = await loadSuites(found.files, await suiteLoadOptions(values));
    // The credentials and files the suites name are known once they are loaded, still before a case.
    await checkReportClashes(requests, suiteInputs(suites));
    const chosen = selectCases(suites.flatMap((s) => s.cases), {
      filter: values.filter,
      tags: values.tag,
      excludeTags: values["exclude-tag"],
    });
    if (chosen.length === 0) {
      throw new InputError({
        message: `no case selected from ${suites.length} suite(s)`,
        hint: "check --filter, --tag and --exclude-tag",
      });
    }
    const cases = shard ? selectCases(chosen, { shard }) : chosen;
    // More shards than cases (a CI template's fixed N, a small selection): this
    // shard is empty, and still a shard, with its reports, for merge to count.
    if (cases.length === 0) {
      const which = `${shard!.index}/${shard!.total}`;
      console.error(
        `dicomtls run: note: shard ${which} has no case: the ${chosen.length} selected are in other shards`,
      );
    }
    const finished = await runWithConsole({
      suites,
      cases,
      concurrency,
      caseTimeoutMs,
      deadlineMs,
      // What this job selected before its split: merge refuses shards that selected differently.
      shard: shard && {
        index: shard.index,
        total: shard.total,
        selection: shardSelection(chosen, {
          filter: values.filter,
          tags: values.tag,
          excludeTags: values["exclude-tag"],
        }),
      },
      out,
      verbose: values.verbose,
    });
    const run = withInvocation(finished, currentInvocation(["run", ...args]));
    const bad = run.summary.failed + run.summary.errors + run.summary.interrupted;
    try {
      await writeReports(run, paths, { out, junit: { fileLine: !values["junit-strict"] } });
    } catch (e) {
      if (!(e instanceof ReportWriteError)) throw e;
      console.error(`dicomtls run: ${terminalSafe(e.message)} (hint: the results above stand)`);
      return bad === 0 ? EXIT_REPORTS_NOT_WRITTEN.passed : EXIT_REPORTS_NOT_WRITTEN.failed;
    }
    return bad === 0 ? EXIT.ok : EXIT.failed;
  },
};

/**
 * Runs with console output (a live progress line on a TTY, one line per case
 * otherwise, a closing summary) on `out` (default stdout) and stops cleanly
 * on SIGINT/SIGTERM.
 *
 * @example
 * ```ts
 * import { runWithConsole } from "./run.ts";
 * import { loadSuites } from "../scenario/mod.ts";
 * const suites = await loadSuites(["scenarios/demo"]);
 * const run = await runWithConsole({ suites, concurrency: 4, out: Deno.stderr });
 * ```
 */
export async function runWithConsole(
  options: Omit<Parameters<typeof runSuites>[0], "signal" | "onCase"> & {
    out?: typeof Deno.stdout | typeof Deno.stderr;
    /** On a terminal, a line for every case, passes too (`-v`). */
    verbose?: boolean;
  },
): Promise<RunResult> {
  const { out = Deno.stdout, verbose = false, ...runOptions } = options;
  const [{ runSuites }, { CLEAR_LINE, renderCaseLine, renderProgress, renderSummary }] =
    await Promise.all([import("../runner/run.ts"), import("../report/mod.ts")]);
  const print = (text: string) => out.writeSync(new TextEncoder().encode(text));
  const tty = out.isTerminal();
  const color = useColor(out);
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
      ...runOptions,
      signal: stop.signal,
      onCase(result, progress) {
        const line = renderCaseLine(result, { color });
        if (tty) {
          const show = verbose || (result.status !== "passed" && result.status !== "skipped");
          const text = `${CLEAR_LINE}${show ? `${line}\n` : ""}${
            renderProgress(progress, { color })
          }`;
          print(text);
        } else print(`${line}\n`);
      },
    });
    if (tty) print(CLEAR_LINE);
    print(`${renderSummary(run, { color })}\n`);
    return run;
  } finally {
    signals.forEach((s) => Deno.removeSignalListener(s, onSignal));
  }
}

/**
 * Writes the reports a run asked for as one set ({@linkcode writeReportSet}:
 * the old set or the new one, never a mix, after an interrupt or a failure)
 * and says where they are. Throws a {@linkcode ReportWriteError} when one
 * cannot be written.
 *
 * @example
 * ```ts
 * import { writeReports } from "./run.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReports(run, { html: "reports/report.html", json: "-" });
 * ```
 */
export async function writeReports(
  run: RunResult,
  paths: ReportPaths,
  options: { out?: typeof Deno.stdout | typeof Deno.stderr; junit?: JunitOptions } = {},
): Promise<void> {
  const [
    { renderHtmlChunks, renderJsonChunks, renderJunitChunks, writeReportSet },
    { relieveMemory },
  ] = await Promise.all([import("../report/mod.ts"), import("../memory/mod.ts")]);
  const renders: [string | undefined, () => ReportContent][] = [
    [paths.junit, () => renderJunitChunks(run, options.junit)],
    [paths.html, () => renderHtmlChunks(run)],
    // A case at a time: the JSON of 100,000 cases is longer than a string can be.
    [paths.json, () => renderJsonChunks(run)],
  ];
  const files = renders.filter(([path]) => path !== undefined)
    .map(([path, content]) => ({ path: path!, content }));
  // The previous report's text, before rendering the next.
  // Each chunk's copies of its cases are garbage once written; RSS rose ~60 MB over the
  // results.json of 2,000 cases before V8 collected them (an RSS sampler).
  const written = await writeReportSet(files, {
    beforeEach: () => relieveMemory(),
    afterChunk: () => relieveMemory(),
  });
  const out = options.out ?? Deno.stdout;
  for (const { path } of written.filter((t) => t.kind !== "stdout")) {
    out.writeSync(new TextEncoder().encode(`wrote ${terminalSafe(path)}\n`));
  }
}
