import type { CaseResult, CaseStatus, RunResult } from "../runner/result.ts";
import { scrubText, stripControl } from "./_text.ts";

/** Options of the console reporters. */
export interface ConsoleOptions {
  /** ANSI colours (for a TTY that allows them, e.g. unless NO_COLOR is set). */
  color?: boolean;
}

const MARKS: Record<CaseStatus, { mark: string; color: string }> = {
  passed: { mark: "PASS ", color: "32" },
  failed: { mark: "FAIL ", color: "31" },
  error: { mark: "ERROR", color: "35" },
  skipped: { mark: "SKIP ", color: "33" },
  "expected-failure": { mark: "XFAIL", color: "36" },
  interrupted: { mark: "INTR ", color: "33" },
};

const paint = (text: string, code: string, on?: boolean) =>
  on ? `\x1b[${code}m${text}\x1b[0m` : text;

/** Milliseconds as a person reads them: "850 ms", "2.4 s". */
function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * One line for a finished case: status mark, suite, case name (and matrix
 * entry), duration and, for anything but passed, the one-line message.
 * Control characters from peer text are removed so a line stays one line.
 *
 * @example
 * ```ts
 * import { renderCaseLine } from "./console.ts";
 * import type { CaseResult } from "../runner/mod.ts";
 * declare const caseResult: CaseResult;
 * renderCaseLine(caseResult);
 * // "FAIL  storescp suite › expired client certificate is refused [key=rsa-2048] (18 ms): expected alert ..."
 * ```
 */
export function renderCaseLine(c: CaseResult, options: ConsoleOptions = {}): string {
  const { mark, color } = MARKS[c.status];
  const matrix = c.matrix && Object.keys(c.matrix).length
    ? ` [${Object.entries(c.matrix).map(([k, v]) => `${k}=${v}`).join(", ")}]`
    : "";
  const message = c.message && c.status !== "passed" ? `: ${oneLine(c.message)}` : "";
  return `${paint(mark, color, options.color)} ${oneLine(c.suite)} › ${oneLine(c.name)}${
    oneLine(matrix)
  } (${duration(c.durationMs)})${message}`;
}

function oneLine(text: string): string {
  return stripControl(scrubText(text)).replace(/\s*[\r\n\t]+\s*/g, " ");
}

/** Counters for {@linkcode renderProgress}. */
export interface Progress {
  /** Cases finished. */
  done: number;
  /** Cases in the run. */
  total: number;
  /** Failed and errored cases so far. */
  failures: number;
}

/** Writes a progress line over the previous one on a TTY: carriage return and erase line. */
export const CLEAR_LINE = "\r\x1b[2K";

/**
 * The live progress line for a TTY (write it after {@linkcode CLEAR_LINE}).
 * Worded so that it never looks like the closing summary to CI log parsers.
 *
 * @example
 * ```ts
 * import { renderProgress } from "./console.ts";
 * renderProgress({ done: 12, total: 200, failures: 1 }); // "[ 12/200]   6% · 1 failing so far"
 * ```
 */
export function renderProgress(p: Progress, options: ConsoleOptions = {}): string {
  const width = String(p.total).length;
  const percent = p.total ? Math.floor((p.done / p.total) * 100) : 100;
  const failing = p.failures
    ? paint(`${p.failures} failing so far`, "31", options.color)
    : "none failing";
  return `[${String(p.done).padStart(width)}/${p.total}] ${
    String(percent).padStart(3)
  }% · ${failing}`;
}

/**
 * The closing summary line: "N passed, N failed, N errors, N skipped, N
 * expected failures in X s" (plus "N interrupted" and a note when the run was
 * stopped). The only line the app prints in this form.
 *
 * @example
 * ```ts
 * import { renderSummary } from "./console.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * renderSummary(run); // "14 passed, 1 failed, 0 errors, 1 skipped, 0 expected failures in 2.2 s"
 * ```
 */
export function renderSummary(run: RunResult, options: ConsoleOptions = {}): string {
  const s = run.summary;
  const parts = [
    paint(`${s.passed} passed`, "32", options.color && s.passed > 0),
    paint(`${s.failed} failed`, "31", options.color && s.failed > 0),
    paint(`${s.errors} errors`, "35", options.color && s.errors > 0),
    `${s.skipped} skipped`,
    `${s.expectedFailures} expected failures`,
  ];
  if (s.interrupted) parts.push(paint(`${s.interrupted} interrupted`, "33", options.color));
  const stopped = run.interrupted ? " (run interrupted)" : "";
  return `${parts.join(", ")} in ${(run.durationMs / 1000).toFixed(1)} s${stopped}`;
}
