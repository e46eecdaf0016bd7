/**
 * Large run results for scale tests of the reporters (2,000 cases and more).
 *
 * @module
 */
import type { CaseResult, RunResult, SuiteResult } from "../runner/result.ts";
import { echoSuccess, refusedByPeer, SAMPLE_TARGET as target } from "./sample_outcomes.ts";
import { runOf, sampleCase } from "./sample_run.ts";

const GENERATED_STATUSES = [
  "passed",
  "passed",
  "passed",
  "passed",
  "failed",
  "error",
  "skipped",
  "expected-failure",
] as const;

/**
 * A large run for scale tests: `cases` cases over `suites` suites, statuses
 * mixed, each passed/failed case with a full C-ECHO or refusal outcome.
 *
 * @example
 * ```ts
 * import { generateRun } from "./generated_run.ts";
 * generateRun({ cases: 2000 }).summary.total; // 2000
 * ```
 */
export function generateRun(options: { cases: number; suites?: number }): RunResult {
  const suiteCount = options.suites ?? 10;
  const suites: SuiteResult[] = [];
  for (let s = 0; s < suiteCount; s++) {
    const name = `generated suite ${s + 1}`;
    const file = `scenarios/generated-${s + 1}.yaml`;
    const cases: CaseResult[] = [];
    for (let i = s; i < options.cases; i += suiteCount) {
      const status = GENERATED_STATUSES[i % GENERATED_STATUSES.length];
      const refused = i % 3 === 0;
      cases.push(sampleCase(name, file, {
        name: `case ${String(i + 1).padStart(4, "0")} ${
          refused ? "bad certificate is refused" : "echo succeeds"
        }`,
        line: 10 + i,
        tags: [refused ? "negative" : "positive", `key-${i % 2 ? "rsa" : "ec"}`],
        matrix: { key: i % 2 ? "rsa-2048" : "ec-p256" },
        status,
        message: status === "passed"
          ? undefined
          : `${status}: expected echo success, got ${refused ? "alert unknown_ca" : "failure"}`,
        outcome: status === "skipped"
          ? undefined
          : refused
          ? refusedByPeer({ name: "unknown_ca", code: 48 })
          : echoSuccess(i),
        assertions: [{
          path: refused ? "alert" : "echo",
          expected: refused ? "unknown_ca" : "success",
          actual: status === "failed" ? "failure" : refused ? "unknown_ca" : "success",
          ok: status !== "failed",
          location: { file, line: 11 + i, column: 13 },
        }],
      }, i));
    }
    suites.push({
      name,
      file,
      target: { ...target, ae: "STORESCP" },
      cases,
      durationMs: cases.length * 20,
    });
  }
  return runOf(suites, { interrupted: false });
}
