import { posix } from "node:path";
import type { CaseResult, RunInvocation, RunResult, SuiteResult } from "../runner/result.ts";
import { redactCase } from "./_text.ts";

// Reports go to tickets: the tester's absolute paths (home folder, checkout)
// say nothing to the reader and tell about the tester's machine. Below the
// working folder a path is shown relative to the suite that uses it (as the
// suite's YAML writes it), below the home folder as ~/...; others (/tmp,
// /usr, /dev) stay as they are.

// An absolute POSIX path inside free text: starts with / after a space,
// quote, bracket or = (not inside a word, a URL or a fraction such as 1/4).
const ABSOLUTE = /(?<![\w.~/:\\-])\/[\w.@%+=~-]+(?:\/[\w.@%+=~-]+)*\/?/g;

/** Where relative paths are shown from, and the folders to shorten. */
export interface PathBase {
  /** The folder paths are shown relative to (the suite's folder, or the working folder). */
  from: string;
  /** Paths below it are shown relative to `from`. */
  workingDirectory?: string;
  /** Paths below it are shown as `~/...`. */
  home?: string;
}

const below = (path: string, folder: string | undefined) =>
  !!folder && folder !== "/" && (path === folder || path.startsWith(`${folder}/`));

/**
 * One absolute path as a report shows it: relative to `base.from` when below
 * it or below the working folder, `~/...` below the home folder, else as is.
 */
export function showPath(path: string, base: PathBase): string {
  const p = posix.normalize(path);
  if (below(p, base.from) || below(p, base.workingDirectory)) {
    return posix.relative(base.from, p) || ".";
  }
  if (below(p, base.home)) return `~${p.slice(base.home!.replace(/\/$/, "").length)}`;
  return path;
}

/** Every absolute path in `text` shown by {@linkcode showPath}. */
export function showPathsIn(text: string, base: PathBase): string {
  return text.includes("/") ? text.replace(ABSOLUTE, (p) => showPath(p, base)) : text;
}

function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === "string") return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, f);
  return out as T;
}

function suiteBase(suite: SuiteResult, invocation: RunInvocation): PathBase {
  const { workingDirectory, home } = invocation;
  const file = posix.isAbsolute(suite.file) ? suite.file : posix.join(workingDirectory, suite.file);
  return { from: posix.dirname(file), workingDirectory, home };
}

/**
 * A copy of the run for a report people read: in each suite, absolute paths
 * below the working folder relative to the suite's folder, paths below the
 * home folder as `~/...`, the suite file itself as the user named it (or
 * `~/...`); the command lines relative to the working folder they were typed
 * in. The working and home folders themselves are dropped. Without an
 * invocation (older results) the run is returned as it is.
 */
export function showRunPaths(run: RunResult): RunResult {
  const inv = run.invocation;
  if (!inv) return run;
  const homeOnly = { from: "/", home: inv.home };
  const command = (i: RunInvocation): RunInvocation => ({
    commandLine: i.commandLine.map((arg) =>
      showPathsIn(arg, { from: i.workingDirectory, home: i.home })
    ),
    host: i.host,
    workingDirectory: ".",
  });
  return {
    ...run,
    invocation: command(inv),
    shards: run.shards?.map((s) => s.invocation ? { ...s, invocation: command(s.invocation) } : s),
    suites: run.suites.map((suite) => ({
      ...suitePaths(suite, run)(suite),
      file: showPathsIn(suite.file, homeOnly),
    })),
  };
}

/**
 * What {@linkcode showRunPaths} does to the records of one suite (its cases
 * among them), for a report made a case at a time: a copy with the paths in
 * its strings shown relative to the suite (the value itself without an
 * invocation).
 */
export function suitePaths(suite: SuiteResult, run: RunResult): <T>(value: T) => T {
  const inv = run.invocation;
  if (!inv) return (value) => value;
  const base = suiteBase(suite, inv);
  return (value) => mapStrings(value, (s) => showPathsIn(s, base));
}

/**
 * Each case of suite `suite` as a report shows it (redacted, paths shown
 * relative to the suite): what {@linkcode showRunPaths} of `redactRun` gives,
 * a case at a time.
 */
export function shownCases(run: RunResult, suite: number): (c: CaseResult) => CaseResult {
  const paths = suitePaths(run.suites[suite], run);
  return (c) => paths(redactCase(c));
}
