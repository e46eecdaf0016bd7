import type { Outcome } from "../outcome/mod.ts";
import type { ProbeReport } from "../probe/mod.ts";
import type { ProfileVerdict } from "../profiles/mod.ts";
import type { SourceLocation } from "../yaml/mod.ts";

/**
 * How one case ended. `failed` is an expectation that did not hold;
 * `error` is a harness problem (bad input, target never started, our bug);
 * `expected-failure` is a case marked `fails: true` that failed as known
 * (one marked so that passes is `failed`, like tlsfuzzer's xfail);
 * `interrupted` is a case that was not finished when the run was stopped.
 */
export type CaseStatus =
  | "passed"
  | "failed"
  | "error"
  | "skipped"
  | "expected-failure"
  | "interrupted";

/** One expectation checked against the Outcome: actual, expected and where it was written. */
export interface AssertionResult {
  /** What was checked, as written in the scenario, e.g. "tls.alert" or "echo". */
  path: string;
  /** The expected value as written in the scenario (a list means any of its items). */
  expected: unknown;
  /** The value the Outcome gave, `null` when the conversation never got that far. */
  actual: unknown;
  /** Whether the actual value matched. */
  ok: boolean;
  /**
   * Why the Outcome cannot say whether it holds (`ok` is then false), e.g. the
   * oldest version of a ClientHello without supported_versions: the case is an
   * error, never a pass or a failure on this alone.
   */
  unknown?: string;
  /** Where the expectation is in the scenario file. */
  location?: SourceLocation;
}

/** The result of one case: plain, JSON-serialisable data. */
export interface CaseResult {
  /** Stable across runs and shards: suite file, case name and matrix entry. */
  id: string;
  /** The case's name as written. */
  name: string;
  /** The case's `description:`, its variables filled in (absent when it has none). */
  description?: string;
  /** The suite's name. */
  suite: string;
  /** The scenario file and where the case is written. */
  location: SourceLocation;
  /** The peer the case talks to, e.g. "sut". */
  peer: string;
  /** The matrix entry this run of the case used, e.g. { key: "rsa-2048" }. */
  matrix?: Record<string, string>;
  /** Suite tags, then the case's own. */
  tags: string[];
  /** How the case ended. */
  status: CaseStatus;
  /** One-line reason for anything but passed, e.g. "expected alert certificate_expired, got unknown_ca". */
  message?: string;
  /** Each expectation checked (empty when the case did not run). */
  assertions: AssertionResult[];
  /** What happened on the wire (absent when the case never ran). */
  outcome?: Outcome;
  /** The verdicts of the profiles the case expects (`expect: { profile: ... }`), on its target. */
  profiles?: ProfileVerdict[];
  /** What the case did, for the report: certificate presented, verify method, etc. */
  settings?: Record<string, unknown>;
  /** When the case started, ISO 8601. */
  startedAt: string;
  /** Wall-clock milliseconds the case took. */
  durationMs: number;
}

/** The result of one suite (one scenario file, or one matrix expansion of it). */
export interface SuiteResult {
  /** The suite's name, with the matrix entry when there is one. */
  name: string;
  /** The suite's `description:`, its variables filled in for this instance (absent when it has none). */
  description?: string;
  /** The scenario file as the user named it. */
  file: string;
  /** Where the SUT listened (the port a started SUT actually used), its AE title and DICOM role. */
  target: { host: string; port: number; ae?: string; role?: "scp" | "scu" };
  /** The sanity case run before the others: a dead target makes every case an error. */
  sanity?: CaseResult;
  /** The results of its cases, in the order they are written. */
  cases: CaseResult[];
  /** The target's TLS probe, when a case expected a profile (probed once per suite instance). */
  probe?: ProbeReport;
  /** A suite-level harness problem (e.g. the start command failed). */
  error?: string;
  /** The tail of the output of a started peer process, when the suite started one. */
  peerLog?: string;
  /** Wall-clock milliseconds for the suite, SUT start and stop included. */
  durationMs: number;
}

/** Counts per status. */
export interface RunSummary {
  /** Every case of the run. */
  total: number;
  /** Cases whose expectations all held. */
  passed: number;
  /** Cases with an expectation that did not hold. */
  failed: number;
  /** Cases that could not run properly (harness problem, dead target). */
  errors: number;
  /** Cases marked `skip:`. */
  skipped: number;
  /** Cases marked `fails: true` that failed as known. */
  expectedFailures: number;
  /** Cases not finished when the run was stopped. */
  interrupted: number;
}

/**
 * How and where a run was started: what a report's header shows (the
 * command line, the tester's host) and what reporters need to show the
 * tester's absolute paths relative to the suite, the working folder or `~`.
 *
 * @example
 * ```ts
 * import type { RunInvocation } from "./result.ts";
 * const invocation: RunInvocation = {
 *   commandLine: ["dicomtls", "run", "scenarios/demo", "--reports", "reports/demo"],
 *   host: "lab-pc-7", workingDirectory: "/home/me/dicomtls", home: "/home/me",
 * };
 * ```
 */
export interface RunInvocation {
  /** The command line as typed, program name first: `["dicomtls", "run", "scenarios/demo"]`. */
  commandLine: string[];
  /** The host name of the machine that ran it (the tester's, not the target's). */
  host: string;
  /** The absolute working folder: reports show paths below it relative to the suite. */
  workingDirectory: string;
  /** The tester's home folder: reports show paths below it as `~/...`. */
  home?: string;
}

/**
 * What the run of one shard selected before it took its part: every shard
 * of one split must have selected the same cases, or their merge would
 * leave some out.
 */
export interface ShardSelection {
  /** `--filter`, as given. */
  filter?: string;
  /** `--tag`s, as given. */
  tags?: string[];
  /** `--exclude-tag`s, as given. */
  excludeTags?: string[];
  /** How many cases were selected, before the split. */
  cases: number;
  /** SHA-256 (hex) of their ids, sorted, one a line: one selection, one digest. */
  sha256: string;
}

/**
 * The result of a whole run: what every reporter takes, and what `results.json`
 * holds (with a committed JSON Schema; `merge` joins several).
 *
 * @example
 * ```ts
 * import type { RunResult } from "./result.ts";
 * const empty: RunResult = {
 *   schemaVersion: 1, tool: { name: "dicomtls", version: "0.1.0" },
 *   startedAt: "2026-11-28T00:00:00Z", finishedAt: "2026-11-28T00:00:01Z", durationMs: 1000,
 *   interrupted: false, suites: [],
 *   summary: { total: 0, passed: 0, failed: 0, errors: 0, skipped: 0, expectedFailures: 0, interrupted: 0 },
 * };
 * ```
 */
export interface RunResult {
  /** Format version of `results.json`. */
  schemaVersion: 1;
  /** The tool and version that produced the result. */
  tool: { name: "dicomtls"; version: string };
  /** When the run started, ISO 8601. */
  startedAt: string;
  /** When the run finished, ISO 8601. */
  finishedAt: string;
  /** Wall-clock milliseconds of the run. */
  durationMs: number;
  /** How and where the run was started (`run` and `merge` fill it; absent in older results). */
  invocation?: RunInvocation;
  /**
   * Set when this run was one shard of several (`--shard K/N`); merged results
   * list all, each with the invocation of the run that produced it.
   */
  shards?: {
    index: number;
    total: number;
    /** What its run selected before the split (absent in older results). */
    selection?: ShardSelection;
    invocation?: RunInvocation;
  }[];
  /** True when the run was stopped (Ctrl-C or the run deadline) before every case finished. */
  interrupted: boolean;
  /** One result per suite instance that had selected cases. */
  suites: SuiteResult[];
  /** Counts per status over all suites. */
  summary: RunSummary;
}

/**
 * Counts the cases of a run by status (sanity cases not included).
 *
 * @example
 * ```ts
 * import { summarize } from "./result.ts";
 * summarize([]).total; // 0
 * ```
 */
export function summarize(suites: readonly SuiteResult[]): RunSummary {
  const s: RunSummary = {
    total: 0,
    passed: 0,
    failed: 0,
    errors: 0,
    skipped: 0,
    expectedFailures: 0,
    interrupted: 0,
  };
  for (const c of suites.flatMap((suite) => suite.cases)) {
    s.total++;
    if (c.status === "passed") s.passed++;
    else if (c.status === "failed") s.failed++;
    else if (c.status === "error") s.errors++;
    else if (c.status === "skipped") s.skipped++;
    else if (c.status === "expected-failure") s.expectedFailures++;
    else s.interrupted++;
  }
  return s;
}
