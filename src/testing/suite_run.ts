/**
 * `dicomtls run` on scenario files as users run it (a child process), with
 * its results.json read back: for tests that assert a suite case by case.
 *
 * @module
 */
import type { CaseResult, RunResult } from "../runner/result.ts";
import { runDicomtls } from "./cli.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/** What one `dicomtls run` did: exit code, output, and its results.json. */
export interface SuiteRun {
  code: number;
  stdout: string;
  stderr: string;
  result: RunResult;
  /** Each case by name (suites of one run must not share case names). */
  cases: Map<string, CaseResult>;
}

/**
 * Runs `dicomtls run PATHS --json ...` from the project's root, with
 * `--set KEY=VALUE` for each of `set`, `TMPDIR` a fresh folder (removed
 * afterwards) and `env` added, and returns the results by case name.
 *
 * @example
 * ```ts
 * import { runSuiteFiles } from "./suite_run.ts";
 * const r = await runSuiteFiles(["scenarios/demo/inbound.yaml"]);
 * r.cases.get("an expired server certificate is refused")?.status; // "passed"
 * ```
 */
export async function runSuiteFiles(
  paths: string[],
  options: { set?: Record<string, string>; env?: Record<string, string>; flags?: string[] } = {},
): Promise<SuiteRun> {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-suite-run-" });
  try {
    const json = `${dir}/results.json`;
    const sets = Object.entries(options.set ?? {}).flatMap(([k, v]) => ["--set", `${k}=${v}`]);
    const r = await runDicomtls(
      ["run", ...paths, ...sets, "--json", json, ...options.flags ?? []],
      {
        cwd: ROOT,
        env: { TMPDIR: dir, ...options.env },
      },
    );
    let result: RunResult;
    try {
      result = JSON.parse(await Deno.readTextFile(json));
    } catch {
      throw new Error(`dicomtls run wrote no results (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
    const cases = new Map(result.suites.flatMap((s) => s.cases).map((c) => [c.name, c]));
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, result, cases };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Each case's status by name, for one `assert.deepEqual` over a whole suite.
 *
 * @example
 * ```ts
 * import { runSuiteFiles, statusesOf } from "./suite_run.ts";
 * const r = await runSuiteFiles(["scenarios/demo/inbound.yaml"]);
 * statusesOf(r); // { "an expired server certificate is refused": "passed", ... }
 * ```
 */
export function statusesOf(run: SuiteRun): Record<string, CaseResult["status"]> {
  return Object.fromEntries([...run.cases].map(([name, c]) => [name, c.status]));
}

/**
 * How the cases every inbound suite of a verifying SCU has must end (the
 * DCMTK, dcmjs-dimse and Orthanc suites name them alike): the trusted server
 * accepted, the expired, self-signed and unknown-CA ones refused.
 *
 * @example
 * ```ts
 * import { REFUSES_BAD_SERVERS, runSuiteFiles, statusesOf } from "./suite_run.ts";
 * const r = await runSuiteFiles(["scenarios/dcmtk/echoscu-inbound.yaml"]);
 * const statuses = { ...REFUSES_BAD_SERVERS, ...statusesOf(r) };
 * ```
 */
export const REFUSES_BAD_SERVERS: Readonly<Record<string, CaseResult["status"]>> = {
  "a trusted server certificate is accepted and the C-ECHO goes through": "passed",
  "refuses an expired server certificate": "passed",
  "refuses a self-signed server certificate": "passed",
  "refuses a server certificate from an unknown CA": "passed",
};
