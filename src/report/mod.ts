/**
 * Reports: pure functions from a {@linkcode RunResult} to a string (console
 * lines, JUnit XML, a self-contained HTML page, results.json) and from one
 * Outcome to text (as `dicomtls echo` prints it), merging of shard results,
 * and atomic writing of report files. No report ever carries a private key
 * or a password.
 *
 * @example
 * ```ts
 * import { renderHtml, renderJson, renderJunit, renderSummary, writeReport } from "./mod.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReport("reports/junit.xml", renderJunit(run));
 * await writeReport("reports/report.html", renderHtml(run));
 * await writeReport("reports/results.json", renderJson(run));
 * console.log(renderSummary(run));
 * ```
 * @module
 */
export * from "./console.ts";
export * from "./junit.ts";
export * from "./html.ts";
export * from "./json.ts";
export * from "./merge.ts";
export * from "./outcome_text.ts";
export * from "./inbound_text.ts";
export * from "./write.ts";
export * from "./targets.ts";
export * from "./destinations.ts";
