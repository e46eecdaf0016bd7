import type { ProbeReport } from "../probe/mod.ts";
import type { ProfileVerdict } from "../profiles/mod.ts";
import { versionLabel } from "../profiles/mod.ts";
import type { RunResult, SuiteResult } from "../runner/result.ts";
import { escapeMarkup as esc } from "./_text.ts";
import { suiteTable } from "./profile_table.ts";

const BADGE: Record<string, string> = {
  "compliant": "passed",
  "non-compliant": "failed",
  "undetermined": "error",
  "pass": "passed",
  "fail": "failed",
  "unknown": "error",
  "not-applicable": "skipped",
};

/**
 * The TLS profile panel of the HTML report, rendered on the server side
 * (no script needed): per suite whose target was probed, the versions x
 * suites table, the association evidence, and each profile verdict with
 * every requirement, its status, findings and citation. Empty when no case
 * expected a profile.
 *
 * @example
 * ```ts
 * import { profilesHtml } from "./profile_html.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * const panel = profilesHtml(run); // "" or <section class="panel" aria-label="tls profiles">...
 * ```
 */
export function profilesHtml(run: RunResult): string {
  const parts = run.suites.filter((s) => s.probe).map(_suite);
  if (parts.length === 0) return "";
  return `<section class="panel" aria-label="tls profiles"><h2>TLS profiles</h2>\n${
    parts.join("\n")
  }\n</section>\n`;
}

function _suite(s: SuiteResult): string {
  const p = s.probe!;
  const verdicts = new Map<string, ProfileVerdict>();
  for (const c of s.cases) for (const v of c.profiles ?? []) verdicts.set(v.profile, v);
  return `<div class="section"><h3>${esc(s.name)}: ${esc(p.target.host)}:${p.target.port}</h3>
${p.error ? `<p>not probed: ${esc(p.error)}</p>` : probeTableHtml(p)}
${p.changed ? `<p>changed under the probe: ${esc(p.changed)}</p>\n` : ""}${
    [...verdicts.values()].map(verdictHtml).join("\n")
  }</div>`;
}

/**
 * The versions x suites table of one probe as an HTML table, with each
 * version's answer and association evidence.
 *
 * @example
 * ```ts
 * import { probeTableHtml } from "./profile_html.ts";
 * import type { ProbeReport } from "../probe/mod.ts";
 * declare const report: ProbeReport;
 * probeTableHtml(report).startsWith("<table"); // true
 * ```
 */
export function probeTableHtml(report: ProbeReport): string {
  const t = suiteTable(report);
  const evidence = new Map((report.evidence ?? []).map((e) => [e.version, e]));
  const head = t.versions.map((v) => {
    const e = evidence.get(v.version);
    const title = `${v.answer}${e ? `; association: ${e.result} (${e.detail})` : ""}`;
    return `<th title="${esc(title)}">${esc(versionLabel(v.version))}<br><small>${esc(v.status)}${
      e ? `, ${esc(e.result)}` : ""
    }</small></th>`;
  }).join("");
  const rows = t.rows.map((r) =>
    `<tr><td><code>${esc(r.name)}</code></td>${
      t.versions.map((v) => {
        const kx = r.accepted[v.version];
        return `<td>${kx === undefined ? "" : `✓ ${esc(kx)}`}</td>`;
      }).join("")
    }</tr>`
  ).join("\n");
  return `<table class="probe"><thead><tr><th>cipher suite (accepted alone)</th>${head}</tr></thead>
<tbody>${
    rows || `<tr><td colspan="${t.versions.length + 1}">no suite accepted</td></tr>`
  }</tbody></table>`;
}

/**
 * One profile verdict as HTML: a badge, and a table of its requirements.
 *
 * @example
 * ```ts
 * import { verdictHtml } from "./profile_html.ts";
 * import type { ProfileVerdict } from "../profiles/mod.ts";
 * declare const verdict: ProfileVerdict;
 * verdictHtml(verdict);
 * ```
 */
export function verdictHtml(v: ProfileVerdict): string {
  const rows = v.requirements.map((r) => {
    const notes = [...r.findings, ...(r.evidence ?? []).map((e) => `evidence: ${e}`)];
    return `<tr><td><span class="badge s-${BADGE[r.status]}">${esc(r.status)}</span></td><td>${
      esc(r.level)
    }</td><td>${esc(r.text)}<br><small>${esc(r.cite)}</small></td><td>${
      notes.map(esc).join("<br>")
    }</td></tr>`;
  }).join("\n");
  return `<h4><span class="badge s-${BADGE[v.verdict]}">${esc(v.verdict)}</span> ${
    esc(v.section)
  } ${esc(v.title)} <small>(${esc(v.profile)})</small></h4>
<table><thead><tr><th>status</th><th>level</th><th>requirement</th><th>findings</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}
