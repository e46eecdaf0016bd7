import { InputError } from "../yaml/mod.ts";
import {
  mergeResults,
  readRunResult,
  renderHtml,
  renderJson,
  renderJunit,
  renderSummary,
  writeReport,
} from "../report/mod.ts";
import { type Command, EXIT, parseFlags } from "./command.ts";

/**
 * `dicomtls merge RESULT.json... [--junit F] [--html F] [--json F]`: joins the
 * results.json of several shards into one report set and prints the summary.
 * Exit 0 when every merged case passed (or failed as expected), 1 otherwise,
 * 2 for an unreadable or foreign input file.
 *
 * @example
 * ```ts
 * import { mergeCommand } from "./merge.ts";
 * await mergeCommand.run(["shard-1.json", "shard-2.json", "--junit", "junit.xml"]);
 * ```
 */
export const mergeCommand: Command = {
  usage: `usage: dicomtls merge RESULT.json... [--junit FILE] [--html FILE] [--json FILE]

Joins the results of shards (dicomtls run --shard K/N --json ...) into one run:
suites with the same file and name are merged, cases deduplicated by id, the
summary recomputed. Writes the requested reports atomically and prints the
summary. Exit 0 when every case passed, 1 when any failed or errored, 2 for
unreadable input.`,
  async run(args) {
    const { values, positionals } = parseFlags("merge", args, {
      junit: { type: "string" },
      html: { type: "string" },
      json: { type: "string" },
    });
    if (positionals.length === 0) {
      throw new InputError({
        message: "no results given",
        hint: "e.g. dicomtls merge shard-1/results.json shard-2/results.json --html report.html",
      });
    }
    // Read every input before writing anything: bad input replaces no report.
    const runs = [];
    for (const file of positionals) runs.push(await readRunResult(file));
    const run = mergeResults(runs);
    if (values.junit) await writeReport(values.junit, renderJunit(run));
    if (values.html) await writeReport(values.html, renderHtml(run));
    if (values.json) await writeReport(values.json, renderJson(run));
    console.log(
      renderSummary(run, { color: Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR") }),
    );
    const s = run.summary;
    return s.failed + s.errors + s.interrupted === 0 && !run.interrupted ? EXIT.ok : EXIT.failed;
  },
};
