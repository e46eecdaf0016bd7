import type { ProfileVerdict } from "../profiles/mod.ts";
import type { CaseResult, SuiteResult } from "../runner/result.ts";
import { escapeMarkup, junitText } from "./_text.ts";

// Findings quote certificate subjects: escaped, their [[ ]] broken (junitText).
const esc = (text: string) => escapeMarkup(junitText(text));

/** A JUnit testsuite of profile requirements, with its counts for the totals. */
export interface ProfileTestsuite {
  xml: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/**
 * The profile verdicts of a suite's target as JUnit: one `testsuite` per
 * profile named `<suite> :: <section> <profile>`, one `testcase` per
 * requirement. A failed "shall" is a `<failure>` (its findings, e.g.
 * "accepts TLS 1.0 (forbidden by PS3.15 B.10)"); a "shall" that could not
 * be known an `<error>`; not applicable `<skipped>`; a failed "should"
 * passes with its warning in `system-out`. Profiles named by several cases
 * of the suite are listed once (they share the target's probe). When every
 * case naming a profile is marked `fails: true` and failed as known, its
 * violations are expected: they pass, noted in `system-out`, as the case does.
 *
 * @example
 * ```ts
 * import { profileTestsuites } from "./profile_junit.ts";
 * import type { SuiteResult } from "../runner/mod.ts";
 * declare const suite: SuiteResult;
 * const xml = profileTestsuites(suite, { host: "ci-runner" }).map((t) => t.xml).join("\n");
 * ```
 */
export function profileTestsuites(
  suite: SuiteResult,
  options: { host?: string; fileLine?: boolean } = {},
): ProfileTestsuite[] {
  const verdicts = new Map<string, { v: ProfileVerdict; expected: boolean; first: CaseResult }>();
  for (const c of suite.cases) {
    for (const v of c.profiles ?? []) {
      const known = c.status === "expected-failure";
      const was = verdicts.get(v.profile);
      verdicts.set(v.profile, {
        v,
        expected: (was?.expected ?? true) && known,
        first: was?.first ?? c,
      });
    }
  }
  return [...verdicts.values()].map((p) => _testsuite(suite, p, options));
}

function _testsuite(
  suite: SuiteResult,
  p: { v: ProfileVerdict; expected: boolean; first: CaseResult },
  options: { host?: string; fileLine?: boolean },
): ProfileTestsuite {
  const { v, expected } = p;
  const t = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const name = `${suite.name} :: ${v.section} ${v.profile}`;
  // Where the profile is expected: the first case that names it.
  const l = p.first.location;
  const at = options.fileLine === false
    ? ""
    : ` file="${esc(l.file)}"${l.line !== undefined ? ` line="${l.line}"` : ""}`;
  const cases = v.requirements.map((r) => {
    t.tests++;
    const head = `<testcase name="${esc(`${r.id}: ${r.text}`)}" classname="${
      esc(name)
    }" time="0"${at}`;
    const findings = r.findings.join("\n");
    const evidence = (r.evidence ?? []).map((e) => `evidence: ${e}`).join("\n");
    const body: string[] = [];
    const out: string[] = [];
    if (r.status === "fail" && r.level === "shall" && expected) {
      out.push(`expected failure (fails: true): ${findings}`);
    } else if (r.status === "fail" && r.level === "shall") {
      t.failures++;
      body.push(
        `<failure type="profile" message="${esc(r.findings[0] ?? "")}">${
          esc([findings, `(${r.cite})`].join("\n"))
        }</failure>`,
      );
    } else if (r.status === "unknown" && r.level === "shall") {
      t.errors++;
      body.push(
        `<error type="undetermined" message="${esc(r.findings[0] ?? "")}">${esc(findings)}</error>`,
      );
    } else if (r.status === "not-applicable") {
      t.skipped++;
      body.push(`<skipped message="${esc(findings)}"/>`);
    }
    if (r.status === "fail" && r.level === "should") out.push(`warning: ${findings}`);
    if (evidence) out.push(evidence);
    out.push(`source: ${r.cite}`);
    body.push(`<system-out>${esc(out.join("\n"))}</system-out>`);
    return `${head}>\n      ${body.join("\n      ")}\n    </testcase>`;
  });
  const host = options.host ? ` hostname="${esc(options.host)}"` : "";
  const counts =
    `tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}"`;
  const verdict = `<property name="verdict" value="${esc(v.verdict)}"/>`;
  const xml = `  <testsuite name="${esc(name)}" ${counts} time="0"${host} file="${
    esc(suite.file)
  }">\n    <properties>\n      ${verdict}\n    </properties>\n    ${
    cases.join("\n    ")
  }\n  </testsuite>`;
  return { xml, ...t };
}
