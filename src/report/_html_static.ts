import type { CaseResult, CaseStatus, RunResult, SuiteResult } from "../runner/result.ts";
import { escapeMarkup as esc } from "./_text.ts";
import { _chunked } from "./_chunks.ts";
import { actualText, expectedRefusal, expectedText, outcomeEvidence } from "./_evidence.ts";

// The parts of the HTML report that are markup in the page itself, not drawn
// by its script: the table of every case and each case's evidence (what a
// browser without JavaScript shows, what prints, and what the script shows
// in a case's details), and the suites.

/** How each status is written in the report. */
export const STATUS_LABELS: Record<CaseStatus, string> = {
  passed: "passed",
  failed: "failed",
  error: "error",
  skipped: "skipped",
  "expected-failure": "expected failure",
  interrupted: "interrupted",
};

/** The element id of a case's evidence: suite index and case index. */
export const evidenceId = (suite: number, index: number): string => `case-${suite}-${index}`;

/** Milliseconds as the report writes them: "12.5 ms", "2.40 s". */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms * 10) / 10} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const badge = (s: CaseStatus) => `<span class="badge s-${s}">${STATUS_LABELS[s]}</span>`;

function tags(c: CaseResult): string {
  const matrix = Object.entries(c.matrix ?? {}).map(([k, v]) =>
    `<span class="tag matrix">${esc(`${k}=${v}`)}</span>`
  );
  return [...matrix, ...c.tags.map((t) => `<span class="tag">${esc(t)}</span>`)].join(" ");
}

// A suite's or case's description (what it checks): trimmed, escaped, its
// line breaks kept by the stylesheet; nothing when there is none.
function description(text: string | undefined, element: "p" | "div" | "span"): string {
  const d = text?.trim();
  return d ? `<${element} class="description">${esc(d)}</${element}>` : "";
}

function at(c: CaseResult): string {
  return `${c.location.file}${c.location.line !== undefined ? `:${c.location.line}` : ""}`;
}

function checks(c: CaseResult): string {
  if (!c.assertions.length) return "";
  const rows = c.assertions.map((a) => {
    const l = a.location;
    const where = l?.line !== undefined ? `line ${l.line}` : "";
    return `<tr><td class="mono">${esc(a.path)}</td><td>${
      esc(expectedText(a.expected, a.path))
    }</td><td>${esc(actualText(a, c.outcome))}</td><td class="${a.ok ? "ok" : "bad"}">${
      a.ok ? "ok" : "FAILED"
    }</td><td class="mono">${esc(where)}</td></tr>`;
  });
  return `<table class="checks"><thead><tr><th>check</th><th>expected</th><th>actual</th><th>result</th><th>where</th></tr></thead><tbody>${
    rows.join("")
  }</tbody></table>`;
}

function evidenceList(c: CaseResult): string {
  const lines = outcomeEvidence(c.outcome);
  if (!lines.length) return "";
  return `<dl class="kv">${
    lines.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")
  }</dl>`;
}

function evidence(c: CaseResult, id: string): string {
  const refusal = expectedRefusal(c);
  return `<article class="evidence s-${c.status}" id="${id}">
<h3>${badge(c.status)} <span class="case-name">${esc(c.name)}</span> ${tags(c)}</h3>
<p class="where"><span class="mono">${esc(at(c))}</span> · ${esc(c.suite)} · ${
    duration(c.durationMs)
  }</p>
${description(c.description, "p")}${
    refusal ? `<p class="expected-refusal">${esc(refusal)}</p>` : ""
  }${c.message ? `<p class="message">${esc(c.message)}</p>` : ""}${checks(c)}${
    evidenceList(c)
  }</article>`;
}

function row(c: CaseResult, id: string): string {
  const file = at(c).split("/").pop()!;
  return `<tr class="s-${c.status}"><td>${badge(c.status)}</td><td class="name"><a href="#${id}">${
    esc(c.name)
  }</a> ${tags(c)}${description(c.description, "div")}</td><td>${
    esc(c.suite)
  }<div class="mono where">${esc(file)}</div></td>` +
    `<td class="num">${duration(c.durationMs)}</td><td class="msg">${
      esc(c.message ?? "")
    }</td></tr>`;
}

/**
 * Every case as a table row and as an evidence article, in scenario order.
 * On screen it shows when JavaScript is off; in print it replaces the
 * interactive table. Made a case at a time (`show` gives each case as the
 * report shows it: redacted, paths relative), in chunks of about 1 MB: the
 * cases of a large run are never one copy, nor one string.
 */
export function* staticCases(
  run: RunResult,
  show: (suite: number) => (c: CaseResult) => CaseResult,
): Generator<string> {
  yield `<section class="panel static" id="all-cases" aria-label="all cases">
<h2>All cases</h2>
<table class="cases"><thead><tr><th>status</th><th>case</th><th>suite</th><th class="num">time</th><th>message</th></tr></thead>
<tbody>`;
  yield* _chunked(eachCase(run, show, (c, id, first) => `${first ? "" : "\n"}${row(c, id)}`));
  yield `</tbody></table>
<h2>Evidence</h2>
`;
  yield* _chunked(
    eachCase(run, show, (c, id, first) => `${first ? "" : "\n"}${evidence(c, id)}`),
  );
  yield `
</section>`;
}

function* eachCase(
  run: RunResult,
  show: (suite: number) => (c: CaseResult) => CaseResult,
  render: (c: CaseResult, id: string, first: boolean) => string,
): Generator<string> {
  let first = true;
  for (const [si, s] of run.suites.entries()) {
    const shown = show(si);
    for (const [ci, c] of s.cases.entries()) {
      yield render(shown(c), evidenceId(si, ci), first);
      first = false;
    }
  }
}

function suite(s: SuiteResult): string {
  const counts = new Map<CaseStatus, number>();
  for (const c of s.cases) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  const chips = [...counts].map(([k, n]) =>
    `<span class="tag s-${k}">${STATUS_LABELS[k]} ${n}</span>`
  ).join(" ");
  const t = s.target;
  const facts: [string, string | undefined][] = [
    ["file", `<span class="mono">${esc(s.file)}</span>`],
    [
      "target",
      esc(`${(t.role ?? "scp").toUpperCase()} ${t.ae ? `${t.ae} at ` : ""}${t.host}:${t.port}`),
    ],
    [
      "sanity case",
      s.sanity ? `${badge(s.sanity.status)} ${esc(s.sanity.message ?? "")}` : "not run",
    ],
    ["duration", duration(s.durationMs)],
    ["suite error", s.error && `<span class="bad">${esc(s.error)}</span>`],
    ["peer log", s.peerLog && `<pre>${esc(s.peerLog)}</pre>`],
  ];
  return `<details class="suite"><summary><b>${esc(s.name)}</b> ${chips}${
    s.error ? ` <span class="bad">suite error</span>` : ""
  }${description(s.description, "span")}</summary><dl class="kv">${
    facts.filter(([, v]) => v).map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")
  }</dl></details>`;
}

/** The suites: name, counts and description, then file, target, sanity case, duration, suite error and peer log. */
export function staticSuites(run: RunResult): string {
  return `<section class="panel" aria-label="suites"><h2>Suites</h2>${
    run.suites.map(suite).join("\n")
  }</section>`;
}
