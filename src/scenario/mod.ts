/**
 * Scenario suites: the YAML format (JSON Schema in
 * `schemas/scenario.schema.json`), loading with source positions,
 * interpolation of `${...}`, expansion into runnable cases (defaults, per-case
 * harness overrides, matrix), and case selection (filter, tags, shards).
 *
 * @example
 * ```ts
 * import { loadSuites, selectCases } from "./mod.ts";
 * const suites = await loadSuites(["scenarios/demo"]);
 * const cases = selectCases(suites.flatMap((s) => s.cases), { tags: ["smoke"] });
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./load.ts";
export * from "./select.ts";
export * from "./interpolate.ts";
export * from "./duration.ts";
export * from "./vocabulary.ts";
export * from "./expectation_keys.ts";
export * from "./find.ts";
export * from "./vars.ts";
