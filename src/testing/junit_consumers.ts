/**
 * Two third-party JUnit readers the JUnit report is checked against
 * (junit2json and test-results-parser), by their npm specifiers: test-only
 * packages stay out of deno.json's imports, so that `deno task demo` and the
 * installed `dicomtls` never fetch them.
 *
 * @example
 * ```ts
 * import { junit2json, testResultsParser } from "./junit_consumers.ts";
 * declare const xml: string;
 * const parsed = await junit2json(xml);
 * ```
 * @module
 */
export { parse as junit2json } from "npm:junit2json@4.0.0";
export { default as testResultsParser } from "npm:test-results-parser@0.4.6";
