import type { AssertionResult, CaseResult, RunResult, SuiteResult } from "../runner/result.ts";
import type { Outcome } from "../outcome/mod.ts";
import { escapeMarkup as esc, redactRun } from "./_text.ts";
import { profileTestsuites } from "./profile_junit.ts";

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/** A case's name in JUnit: its name plus the matrix entry, so names stay unique. */
function junitCaseName(c: CaseResult): string {
  const m = c.matrix && Object.entries(c.matrix);
  return m && m.length ? `${c.name} [${m.map(([k, v]) => `${k}=${v}`).join(", ")}]` : c.name;
}

function show(value: unknown): string {
  return value === undefined ? "(absent)" : JSON.stringify(value);
}

function where(a: AssertionResult): string {
  const l = a.location;
  if (!l) return "";
  return ` (${l.file}${l.line !== undefined ? `:${l.line}` : ""}${
    l.line !== undefined && l.column !== undefined ? `:${l.column}` : ""
  })`;
}

/** The evidence a CI reader needs, one `name: value` per line. */
function evidence(o: Outcome | undefined): [string, string][] {
  if (!o) return [];
  const out: [string, string][] = [["stage", o.stage], ["tcp", o.tcp.status]];
  const tls = o.tls;
  if (tls) {
    out.push(["tls", tls.status]);
    if (tls.protocol) out.push(["tls.protocol", tls.protocol]);
    if (tls.cipher) out.push(["tls.cipher", tls.cipher]);
    if (tls.alert) out.push(["tls.alert", `${tls.alert.name} (${tls.alert.code})`]);
    if (tls.peer) {
      out.push(["peer.subject", tls.peer.subject]);
      out.push(["peer.sha1", tls.peer.sha1]);
      out.push(["peer.sha256", tls.peer.sha256]);
    }
    const v = tls.verification;
    if (v) {
      out.push([
        "verification",
        `${v.method}: ${v.ok ? "accepted" : `refused (${v.reasons.join(", ")})`}`,
      ]);
    }
  }
  const a = o.association;
  if (a) {
    const why = a.reject
      ? ` (${a.reject.result}, ${a.reject.source}, ${a.reject.reason})`
      : a.abort
      ? ` (${a.abort.source}, ${a.abort.reason})`
      : "";
    out.push(["association", a.result + why]);
  }
  for (const op of o.dimse?.operations ?? []) {
    const code = op.status === undefined ? "" : ` 0x${op.status.toString(16).padStart(4, "0")}`;
    out.push([op.command, `${op.category}${code}${op.statusName ? ` ${op.statusName}` : ""}`]);
  }
  if (o.error) out.push(["error", o.error]);
  return out;
}

function failureBody(c: CaseResult): string {
  const failed = c.assertions.filter((a) => !a.ok);
  const lines = failed.map((a) =>
    `${a.path}: expected ${show(a.expected)}, actual ${show(a.actual)}${where(a)}`
  );
  const loc = `${c.location.file}${c.location.line !== undefined ? `:${c.location.line}` : ""}`;
  return [...lines, `case at ${loc}`].join("\n");
}

function outLines(c: CaseResult): string[] {
  const lines = evidence(c.outcome).map(([k, v]) => `${k}: ${v}`);
  if (c.status === "expected-failure") {
    lines.unshift(`expected failure (fails: true): ${c.message ?? "failed as expected"}`);
  }
  return lines;
}

function testcase(c: CaseResult, classname: string): string {
  const head = `<testcase name="${esc(junitCaseName(c))}" classname="${esc(classname)}" time="${
    seconds(c.durationMs)
  }"`;
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
  const out = outLines(c);
  if (out.length) body.push(`<system-out>${esc(out.join("\n"))}</system-out>`);
  return body.length ? `${head}>\n      ${body.join("\n      ")}\n    </testcase>` : `${head}/>`;
}

function property(name: string, value: string): string {
  return `<property name="${esc(name)}" value="${esc(value)}"/>`;
}

// JUnit 10 allows properties on testsuite only: suite facts, then each case's
// evidence under "<case name> :: <key>".
function properties(s: SuiteResult): string {
  const t = s.target;
  const props = [
    property("file", s.file),
    property("target", `${t.ae ? `${t.ae}@` : ""}${t.host}:${t.port}`),
  ];
  if (s.sanity) props.push(property("sanity", s.sanity.status));
  for (const c of s.cases) {
    for (const [k, v] of evidence(c.outcome)) {
      if (/^(tls\.|peer\.sha|verification)/.test(k)) {
        props.push(property(`${junitCaseName(c)} :: ${k}`, v));
      }
    }
  }
  return `<properties>\n      ${props.join("\n      ")}\n    </properties>`;
}

function testsuite(s: SuiteResult): string {
  const count = (...statuses: string[]) =>
    s.cases.filter((c) => statuses.includes(c.status)).length;
  const classnames = (c: CaseResult) => `${s.name}/${c.peer}`;
  const parts = [properties(s), ...s.cases.map((c) => testcase(c, classnames(c)))];
  if (s.sanity) {
    parts.push(
      `<system-out>${
        esc(`sanity case: ${s.sanity.status}${s.sanity.message ? `: ${s.sanity.message}` : ""}`)
      }</system-out>`,
    );
  }
  const err = [s.error && `suite error: ${s.error}`, s.peerLog && `peer log:\n${s.peerLog}`]
    .filter(Boolean).join("\n");
  if (err) parts.push(`<system-err>${esc(err)}</system-err>`);
  const started = s.cases[0]?.startedAt;
  return `  <testsuite name="${esc(s.name)}" tests="${s.cases.length}" failures="${
    count("failed")
  }" errors="${count("error")}" skipped="${count("skipped", "interrupted")}" time="${
    seconds(s.durationMs)
  }"${started ? ` timestamp="${esc(started.replace(/Z$/, ""))}"` : ""} hostname="${
    esc(s.target.host)
  }" file="${esc(s.file)}">\n    ${parts.join("\n    ")}\n  </testsuite>`;
}

/**
 * The run as JUnit XML: one `testsuite` per suite, `classname` = suite/peer,
 * `<failure>` with expected vs actual per failed assertion, harness problems
 * as `<error>`, skipped and interrupted cases as `<skipped>`, expected
 * failures as passed with a `system-out` note, and `properties` with each
 * case's protocol, cipher, peer thumbprints and verification verdict. Valid
 * against the Jenkins xunit junit-10.xsd; read by GitLab and Jenkins.
 *
 * @example
 * ```ts
 * import { renderJunit } from "./junit.ts";
 * import { writeReport } from "./write.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReport("reports/junit.xml", renderJunit(run));
 * ```
 */
export function renderJunit(run: RunResult): string {
  const r = redactRun(run);
  const s = r.summary;
  // One testcase per profile requirement, in a testsuite per profile (report/profile_junit.ts).
  const profiles = r.suites.flatMap(profileTestsuites);
  const more = (k: "tests" | "failures" | "errors") => profiles.reduce((n, p) => n + p[k], 0);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="dicomtls" tests="${s.total + more("tests")}" failures="${
      s.failed + more("failures")
    }" errors="${s.errors + more("errors")}" time="${seconds(r.durationMs)}">`,
    ...r.suites.map(testsuite),
    ...profiles.map((p) => p.xml),
    `</testsuites>`,
    "",
  ].join("\n");
}
