/**
 * Reports: pure functions from a {@linkcode RunResult} to a string (console
 * lines, JUnit XML, a self-contained HTML page, results.json), merging of
 * shard results, and atomic writing of report files. No report ever carries
 * a private key or a password.
 *
 * @example
 * ```ts
 * import { renderHtml, renderJson, renderJunit, renderSummary, writeReport } from "./mod.ts";
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
export * from "./write.ts";
export * from "./targets.ts";
