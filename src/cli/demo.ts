import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, EXIT, folderPathFlag, parseFlags } from "./command.ts";
import { EXIT_REPORTS_NOT_WRITTEN, runWithConsole, writeReports } from "./run.ts";
import { InputError } from "../yaml/input_error.ts";
import { terminalSafe } from "../text/mod.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * `dicomtls demo`: the main job on the embedded default. Generates the demo
 * PKI, starts our reference AE in-process in the verification modes common
 * DICOM SDKs offer (chain of trust, thumbprint list, none, and a TLS 1.3
 * floor), runs `scenarios/demo/` and
 * writes `reports/demo/{report.html,junit.xml,results.json}` in the folder
 * it runs in. Needs nothing but Deno.
 *
 * @example
 * ```ts
 * import { demoCommand } from "./demo.ts";
 * await demoCommand.run([]);
 * ```
 */
export const demoCommand: Command = {
  usage: `usage: dicomtls demo [--out DIR]

Runs scenarios/demo/ (the reference AE in the verification modes common DICOM
SDKs offer: chain of trust, accepted thumbprints, none, and a TLS 1.3 floor)
with a generated PKI and writes report.html, junit.xml and results.json.

  --out DIR   where to write the reports (default reports/demo, in the folder
              it runs in)`,
  async run(args) {
    const { values, positionals } = parseFlags("demo", args, { out: { type: "string" } });
    if (positionals.length > 0) {
      throw new InputError({
        message: `dicomtls demo takes no arguments, got '${positionals[0]}'`,
        hint: "give the reports' folder as --out DIR",
      });
    }
    folderPathFlag("--out", values.out, "--out reports/demo");
    // Relative to where it runs: from the project (deno task demo) that is the project's
    // reports/demo; an installed dicomtls writes beside the user, never into its install.
    const out = values.out ?? join("reports", "demo");
    const paths = {
      html: join(out, "report.html"),
      junit: join(out, "junit.xml"),
      json: join(out, "results.json"),
    };
    // Loaded once the command line is good: a refused one costs no YAML or report module.
    const [{ loadSuites }, { checkReportTargets, ReportWriteError }] = await Promise.all([
      import("../scenario/mod.ts"),
      import("../report/mod.ts"),
    ]);
    // As run does: a report that cannot be written is bad input before any case, not after all.
    await checkReportTargets(Object.values(paths).map((path) => ({ path, label: "--out" })));
    const suites = await loadSuites([join(ROOT, "scenarios", "demo")]);
    const n = suites.reduce((sum, s) => sum + s.cases.length, 0);
    console.log(`dicomtls demo: ${n} cases in ${suites.length} suites against the reference AE`);
    const run = await runWithConsole({ suites, concurrency: 8 });
    const bad = run.summary.failed + run.summary.errors + run.summary.interrupted;
    try {
      await writeReports(run, paths);
    } catch (e) {
      if (!(e instanceof ReportWriteError)) throw e;
      console.error(`dicomtls demo: ${terminalSafe(e.message)} (hint: choose --out DIR)`);
      return bad === 0 ? EXIT_REPORTS_NOT_WRITTEN.passed : EXIT_REPORTS_NOT_WRITTEN.failed;
    }
    const shown = relative(Deno.cwd(), join(out, "report.html")) || join(out, "report.html");
    console.log(`open ${shown} in a browser for the evidence of every case`);
    return bad === 0 ? EXIT.ok : EXIT.failed;
  },
};
