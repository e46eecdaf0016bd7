import { InputError } from "../yaml/input_error.ts";
import type { ReportContent, ReportFile } from "../report/mod.ts";
import { terminalSafe } from "../text/mod.ts";
import { type Command, EXIT, parseFlags } from "./command.ts";
import { useColor } from "./_color.ts";
import { currentInvocation, withInvocation } from "./_invocation.ts";

/**
 * `dicomtls merge RESULT.json... [--junit F] [--html F] [--json F]`: joins the
 * results.json of several shards into one report set and prints the summary.
 * Exit 0 when every merged case passed (or failed as expected), 1 otherwise,
 * 2 for an unreadable or foreign input file, or inputs that are not one whole
 * run ({@linkcode checkMergeInputs}).
 *
 * @example
 * ```ts
 * import { mergeCommand } from "./merge.ts";
 * await mergeCommand.run(["shard-1.json", "shard-2.json", "--junit", "junit.xml"]);
 * ```
 */
export const mergeCommand: Command = {
  usage: `usage: dicomtls merge RESULT.json... [options]

Joins the results of shards (dicomtls run --shard K/N --json ...) into one run:
suites with the same file and name are merged, cases deduplicated by id, the
summary recomputed. Refuses (exit 2, no report) a missing shard, shards of
different splits or of different selections (--filter, --tag, ...), a case in
two shards of one split, a case that finished with two statuses in two files,
a report path that is one of the inputs, and input over 256 MiB a file or
512 MiB in all. Writes the requested reports as one set (temporary files
renamed together) and prints the summary. Exit 0 when every case passed, 1
when any failed or errored, 2 for unreadable input or an unwritable report
path, 3 (all passed) or 4 (some failed) when a report could not be written.

  --junit F          write JUnit XML to F (- for stdout: the summary then goes
                     to stderr)
  --junit-strict     JUnit valid against junit-10.xsd as is (Jenkins xunit plugin):
                     no file and line attributes on testcase
  --html F           write the HTML report to F (or -)
  --json F           write the merged JSON results to F (or -)`,
  async run(args) {
    const { values, positionals } = parseFlags("merge", args, {
      junit: { type: "string" },
      "junit-strict": { type: "boolean" },
      html: { type: "string" },
      json: { type: "string" },
    });
    if (positionals.length === 0) {
      throw new InputError({
        message: "no results given",
        hint: "e.g. dicomtls merge shard-1/results.json shard-2/results.json --html report.html",
      });
    }
    // Loaded once the command line is good: a refused one costs no report module.
    const {
      checkMergeInputs,
      checkReportTargets,
      mergeResults,
      readRunResult,
      renderHtmlChunks,
      renderJsonChunks,
      renderJunitChunks,
      renderSummary,
      ReportWriteError,
      RESULTS_LIMITS,
      writeReportSet,
    } = await import("../report/mod.ts");
    const all: { path: string | undefined; content: () => ReportContent }[] = [
      {
        path: values.junit,
        content: () => renderJunitChunks(run, { fileLine: !values["junit-strict"] }),
      },
      { path: values.html, content: () => renderHtmlChunks(run) },
      { path: values.json, content: () => renderJsonChunks(run) },
    ];
    const reports = all.filter((r): r is ReportFile => r.path !== undefined);
    // A report written over one of the results being merged would lose that shard.
    const targets = await checkReportTargets(
      (["junit", "html", "json"] as const).filter((k) => values[k] !== undefined)
        .map((k) => ({ path: values[k]!, label: `--${k}` })),
      { inputs: positionals.map((path) => ({ path, what: "one of the results being merged" })) },
    );
    // Read every input before writing anything: bad input replaces no report.
    // Bounded before anything is read: each file, and all of them together.
    let total = 0;
    for (const file of positionals) total += await Deno.stat(file).then((i) => i.size, () => 0);
    if (total > RESULTS_LIMITS.totalBytes) {
      throw new InputError({
        message: `the ${positionals.length} results given hold ${
          Math.round(total / 1024 / 1024)
        } MiB, more than the ${RESULTS_LIMITS.totalBytes / 1024 ** 2} MiB merge reads`,
        hint: "merge the results of a run of fewer cases",
      });
    }
    const inputs = [];
    for (const file of positionals) inputs.push({ file, run: await readRunResult(file) });
    // A missing shard or two answers for one case: no report that claims more than what ran.
    checkMergeInputs(inputs);
    const run = withInvocation(
      mergeResults(inputs.map((i) => i.run)),
      currentInvocation(["merge", ...args]),
    );
    const s = run.summary;
    const passed = s.failed + s.errors + s.interrupted === 0 && !run.interrupted;
    const out = targets.some((t) => t.kind === "stdout") ? Deno.stderr : Deno.stdout;
    try {
      await writeReportSet(reports);
    } catch (e) {
      if (!(e instanceof ReportWriteError)) throw e;
      console.error(`dicomtls merge: ${terminalSafe(e.message)}`);
      return passed ? 3 : 4;
    } finally {
      const color = useColor(out);
      out.writeSync(new TextEncoder().encode(`${renderSummary(run, { color })}\n`));
    }
    return passed ? EXIT.ok : EXIT.failed;
  },
};
