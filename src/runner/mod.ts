/**
 * The scenario runner: runs the cases of loaded suites against their
 * targets (starting a SUT when the suite says how, a sanity check first),
 * checks each case's expectations against the Outcome of its
 * conversation, and returns a {@linkcode RunResult}: plain data that every
 * reporter in src/report/ takes.
 *
 * @example
 * ```ts
 * import { runSuites } from "./mod.ts";
 * import { loadSuites, selectCases } from "../scenario/mod.ts";
 * const suites = await loadSuites(["scenarios/demo"]);
 * const cases = selectCases(suites.flatMap((s) => s.cases), { tags: ["smoke"] });
 * const run = await runSuites({ suites, cases, concurrency: 4 });
 * console.log(`${run.summary.passed}/${run.summary.total} passed`);
 * ```
 * @module
 */
export * from "./result.ts";
export * from "./run.ts";
export * from "./shard_selection.ts";
export * from "./compact.ts";
export * from "./expect.ts";
export * from "./harness.ts";
export * from "./sut.ts";
export * from "./sanity.ts";
export * from "./target_watch.ts";
export * from "./unanswered.ts";
