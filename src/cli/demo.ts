import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSuites } from "../scenario/mod.ts";
import { type Command, EXIT, parseFlags } from "./command.ts";
import { runWithConsole, writeReports } from "./run.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * `dicomtls demo`: the main job on the embedded default. Generates the demo
 * PKI, starts our reference AE in-process in the verification modes common
 * DICOM SDKs offer (chain of trust, thumbprint list, none, and a TLS 1.3
 * floor), runs `scenarios/demo/` and
 * writes `reports/demo/{report.html,junit.xml,results.json}`. Needs nothing
 * but Deno.
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

  --out DIR   where to write the reports (default reports/demo in the project)`,
  async run(args) {
    const { values } = parseFlags("demo", args, { out: { type: "string" } });
    const out = values.out ?? join(ROOT, "reports", "demo");
    const suites = await loadSuites([join(ROOT, "scenarios", "demo")]);
    const n = suites.reduce((sum, s) => sum + s.cases.length, 0);
    console.log(`dicomtls demo: ${n} cases in ${suites.length} suites against the reference AE`);
    const run = await runWithConsole({ suites, concurrency: 8 });
    await writeReports(run, {
      html: join(out, "report.html"),
      junit: join(out, "junit.xml"),
      json: join(out, "results.json"),
    });
    const shown = relative(Deno.cwd(), join(out, "report.html")) || join(out, "report.html");
    console.log(`open ${shown} in a browser for the evidence of every case`);
    const bad = run.summary.failed + run.summary.errors + run.summary.interrupted;
    return bad === 0 ? EXIT.ok : EXIT.failed;
  },
};
