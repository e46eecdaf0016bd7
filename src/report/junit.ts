import type { AssertionResult, CaseResult, RunResult, SuiteResult } from "../runner/result.ts";
import { escapeMarkup, junitText, redactRun, secretValues, shellLine } from "./_text.ts";
import { profileTestsuites } from "./profile_junit.ts";
import { shownCases, showRunPaths } from "./_paths.ts";
import { _chunked } from "./_chunks.ts";
import { actualText, expectedRefusal, expectedText, outcomeEvidence } from "./_evidence.ts";

/** Options of {@linkcode renderJunit}. */
export interface JunitOptions {
  /**
   * Put `file` (the scenario file) and `line` (the case's line) on each
   * `testcase`, as CI annotation tools read them (default true). The Jenkins
   * xunit plugin's junit-10.xsd allows neither: `false` gives output valid
   * against it.
   */
  fileLine?: boolean;
}

// Every value escaped, its [[ ]] broken; system-out's own [[PROPERTY|...]] lines are built
// from values broken alone (inlineProperty) and escaped whole.
const esc = (text: string) => escapeMarkup(junitText(text));

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/** A case's name in JUnit: its name plus the matrix entry, so names stay unique. */
function junitCaseName(c: CaseResult): string {
  const m = c.matrix && Object.entries(c.matrix);
  return m && m.length ? `${c.name} [${m.map(([k, v]) => `${k}=${v}`).join(", ")}]` : c.name;
}

function where(a: AssertionResult): string {
  const l = a.location;
  if (!l) return "";
  return ` (${l.file}${l.line !== undefined ? `:${l.line}` : ""}${
    l.line !== undefined && l.column !== undefined ? `:${l.column}` : ""
  })`;
}

function failureBody(c: CaseResult): string {
  const lines = c.assertions.filter((a) => !a.ok).map((a) =>
    `${a.path}: expected ${expectedText(a.expected, a.path)}, actual ${actualText(a, c.outcome)}${
      where(a)
    }`
  );
  const loc = `${c.location.file}${c.location.line !== undefined ? `:${c.location.line}` : ""}`;
  return [...lines, `case at ${loc}`].join("\n");
}

// Per-case properties in system-out, in the syntax of Jenkins' JUnit
// attachments plugin ([[PROPERTY|name=value]]): junit-10.xsd allows
// properties only on a testsuite, where ~100 of them flood the suite header.
function inlineProperty(name: string, raw: string): string {
  const value = junitText(raw);
  return /[\]\n]/.test(value)
    ? `[[PROPERTY|${name}]]${value}[[/PROPERTY]]`
    : `[[PROPERTY|${name}=${value}]]`;
}

function systemOut(c: CaseResult): string[] {
  const lines: string[] = [];
  if (c.status === "expected-failure") {
    lines.push(`expected failure (fails: true): ${junitText(c.message ?? "failed as expected")}`);
  }
  const refusal = expectedRefusal(c);
  if (refusal) lines.push(`expected: ${junitText(refusal)}`);
  // What the case checks (its description names the requirement) and its tags.
  const description = c.description?.trim();
  if (description) lines.push(inlineProperty("description", description));
  if (c.tags.length) lines.push(inlineProperty("tags", c.tags.join(", ")));
  for (const [k, v] of outcomeEvidence(c.outcome)) lines.push(inlineProperty(k, v));
  return lines;
}

function testcase(c: CaseResult, suite: SuiteResult, options: JunitOptions): string {
  const at = options.fileLine === false
    ? ""
    : ` file="${esc(c.location.file)}"${
      c.location.line !== undefined ? ` line="${c.location.line}"` : ""
    }`;
  const head = `<testcase name="${esc(junitCaseName(c))}" classname="${esc(suite.name)}" time="${
    seconds(c.durationMs)
  }"${at}`;
  const body: string[] = [];
  const message = c.message ?? "";
  if (c.status === "failed") {
    body.push(
      `<failure type="expectation" message="${esc(message)}">${esc(failureBody(c))}</failure>`,
    );
  } else if (c.status === "error") {
    const detail = [message, c.outcome?.error].filter(Boolean).join("\n");
    body.push(`<error type="harness" message="${esc(message)}">${esc(detail)}</error>`);
  } else if (c.status === "skipped" || c.status === "interrupted") {
    const why = c.status === "interrupted"
      ? `interrupted${message ? `: ${message}` : ""}`
      : message;
    body.push(`<skipped message="${esc(why)}"/>`);
  }
  const out = systemOut(c);
  if (out.length) body.push(`<system-out>${escapeMarkup(out.join("\n"))}</system-out>`);
  return body.length ? `${head}>\n      ${body.join("\n      ")}\n    </testcase>` : `${head}/>`;
}

// A line break in an attribute is written as a character reference: a
// parser turns a literal one into a space (a description of several lines).
function property(name: string, value: string): string {
  return `<property name="${esc(name)}" value="${esc(value).replaceAll("\n", "&#10;")}"/>`;
}

// The suite's own facts only (its description first); each case's
// description, tags and evidence are in its system-out.
function properties(s: SuiteResult, run: RunResult): string {
  const t = s.target;
  const description = s.description?.trim();
  const props = [
    ...(description ? [property("description", description)] : []),
    property("target", `${t.ae ? `${t.ae}@` : ""}${t.host}:${t.port}`),
    property("role", t.role ?? "scp"),
    property("tool", `${run.tool.name} ${run.tool.version}`),
  ];
  if (run.invocation) props.push(property("command", shellLine(run.invocation.commandLine)));
  if (s.sanity) props.push(property("sanity", s.sanity.status));
  return `<properties>\n      ${props.join("\n      ")}\n    </properties>`;
}

// One testsuite, its cases made one at a time (`show`: as the report shows
// them); `cases` are the run's own, for the counts and the first start.
function* testsuite(
  s: SuiteResult,
  o: {
    cases: readonly CaseResult[];
    show: (c: CaseResult) => CaseResult;
    run: RunResult;
    options: JunitOptions;
  },
): Generator<string> {
  const { cases, run } = o;
  const count = (...statuses: string[]) => cases.filter((c) => statuses.includes(c.status)).length;
  const started = cases[0]?.startedAt;
  const host = run.invocation ? ` hostname="${esc(run.invocation.host)}"` : "";
  yield `  <testsuite name="${esc(s.name)}" tests="${cases.length}" failures="${
    count("failed")
  }" errors="${count("error")}" skipped="${count("skipped", "interrupted")}" time="${
    seconds(s.durationMs)
  }"${started ? ` timestamp="${esc(started.replace(/Z$/, ""))}"` : ""}${host} file="${
    esc(s.file)
  }">\n    ${properties(s, run)}`;
  yield* _chunked(function* () {
    for (const c of cases) yield `\n    ${testcase(o.show(c), s, o.options)}`;
  }());
  const tail: string[] = [];
  if (s.sanity) {
    tail.push(
      `<system-out>${
        esc(`sanity case: ${s.sanity.status}${s.sanity.message ? `: ${s.sanity.message}` : ""}`)
      }</system-out>`,
    );
  }
  const err = [s.error && `suite error: ${s.error}`, s.peerLog && `peer log:\n${s.peerLog}`]
    .filter(Boolean).join("\n");
  if (err) tail.push(`<system-err>${esc(err)}</system-err>`);
  yield `${tail.map((t) => `\n    ${t}`).join("")}\n  </testsuite>`;
}

/**
 * The run as JUnit XML: one `testsuite` per suite (its file, the tester's
 * host, and a few properties: description, target, role, tool, command
 * line, sanity case), one `testcase` per case with `classname` = the suite's name and
 * the scenario `file` and `line`; `<failure>` with expected vs actual per
 * failed assertion, harness problems as `<error>`, skipped and interrupted
 * cases as `<skipped>`, expected failures as passed with a note. Each case's
 * description, tags and evidence (TLS, peer certificate, our verdict, wire,
 * association, DIMSE) are in its `system-out` as `[[PROPERTY|name=value]]` lines. With
 * `fileLine: false`, valid against the Jenkins xunit junit-10.xsd.
 *
 * @example
 * ```ts
 * import { renderJunit } from "./junit.ts";
 * import { writeReport } from "./write.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReport("reports/junit.xml", renderJunit(run));
 * await writeReport("reports/junit-xunit.xml", renderJunit(run, { fileLine: false }));
 * ```
 */
export function renderJunit(run: RunResult, options: JunitOptions = {}): string {
  return [...renderJunitChunks(run, options)].join("");
}

/**
 * {@linkcode renderJunit} as chunks of about 1 MB, made a case at a time
 * (the whole run is never copied, nor one string).
 *
 * @example
 * ```ts
 * import { renderJunitChunks } from "./junit.ts";
 * import { writeReport } from "./write.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReport("reports/junit.xml", renderJunitChunks(run));
 * ```
 */
export function* renderJunitChunks(
  run: RunResult,
  options: JunitOptions = {},
): Generator<string> {
  const show = (si: number) => shownCases(run, si);
  // The run without its cases, as the report shows it.
  const r = showRunPaths(
    redactRun(
      { ...run, suites: run.suites.map((s) => ({ ...s, cases: [] })) },
      secretValues(run),
    ),
  );
  const s = r.summary;
  // One testcase per profile requirement, in a testsuite per profile (report/profile_junit.ts).
  const host = r.invocation?.host;
  const profiles = r.suites.flatMap((suite, si) =>
    profileTestsuites({
      ...suite,
      cases: run.suites[si].cases.filter((c) => c.profiles?.length).map(show(si)),
    }, { ...options, ...(host ? { host } : {}) })
  );
  const more = (k: "tests" | "failures" | "errors") => profiles.reduce((n, p) => n + p[k], 0);
  yield `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="dicomtls" tests="${s.total + more("tests")}" failures="${
    s.failed + more("failures")
  }" errors="${s.errors + more("errors")}" time="${seconds(r.durationMs)}">`;
  for (const [si, suite] of r.suites.entries()) {
    yield "\n";
    yield* testsuite(suite, { cases: run.suites[si].cases, show: show(si), run: r, options });
  }
  for (const p of profiles) yield `\n${p.xml}`;
  yield "\n</testsuites>\n";
}
