import type { CaseResult, CaseStatus, RunResult } from "../runner/result.ts";
import { escapeMarkup as esc, redactRun, secretValues } from "./_text.ts";
import { terminalSafe, toJson } from "../text/mod.ts";
import { shownCases, showRunPaths } from "./_paths.ts";
import { _spliceCases } from "./_chunks.ts";
import { STYLE } from "./_html_style.ts";
import { CLIENT } from "./_html_client.ts";
import { htmlHeader } from "./_html_header.ts";
import { staticCases, staticSuites } from "./_html_static.ts";
import { profilesHtml } from "./profile_html.ts";

/** Options of {@linkcode renderHtml}. */
export interface HtmlOptions {
  /** The page title; default "dicomtls report". */
  title?: string;
}

const ORDER: { status: CaseStatus; key: keyof RunResult["summary"]; label: string }[] = [
  { status: "passed", key: "passed", label: "passed" },
  { status: "failed", key: "failed", label: "failed" },
  { status: "error", key: "errors", label: "errors" },
  { status: "skipped", key: "skipped", label: "skipped" },
  { status: "expected-failure", key: "expectedFailures", label: "expected failures" },
  { status: "interrupted", key: "interrupted", label: "interrupted" },
];

// JSON inside <script>: "<" as \u003c so that no "</script" or "<!--" can end
// or confuse the element (toJson already escapes U+2028/2029 for old parsers).
// Control and bidi characters in strings are shown as visible escapes.
function embedJson(value: unknown): string {
  const visible = (_: string, v: unknown) =>
    typeof v === "string" ? terminalSafe(v, { keepLineBreaks: true }) : v;
  return toJson(value, { replacer: visible }).replace(/</g, "\\u003c");
}

function summary(run: RunResult): string {
  const s = run.summary;
  const counts = ORDER.filter((o) => o.key !== "interrupted" || s.interrupted > 0).map((o) =>
    `<div class="count s-${o.status}"><b>${s[o.key]}</b><span>${o.label}</span></div>`
  );
  const bar = ORDER.filter((o) => s[o.key] > 0).map((o) =>
    `<span class="s-${o.status}" style="width:${((100 * s[o.key]) / s.total).toFixed(3)}%" title="${
      s[o.key]
    } ${o.label}"></span>`
  ).join("");
  return `<section class="panel" aria-label="summary">
<div class="counts"><div class="count total"><b>${s.total}</b><span>cases</span></div>${
    counts.join("")
  }</div>
<div class="bar" role="img" aria-label="${
    esc(ORDER.map((o) => `${s[o.key]} ${o.label}`).join(", "))
  }">${bar}</div>
</section>`;
}

/**
 * The run as one self-contained HTML page to attach to a ticket (inline CSS
 * and script, no network: a Content-Security-Policy forbids any fetch): a
 * header with the targets (role, AE title, host, port), the command line,
 * the tool version and the tester's host; a summary with counts and a
 * stacked bar; filters by status, suite and tag, a text search, case rows
 * paginated 100 at a time and, per case on demand, its evidence (expected vs
 * actual in words, TLS, wire, association, DIMSE), the stage timeline, our
 * verifier's reasons, the peer certificate chain and the PDU exchange. The
 * table of every case with its evidence is in the page itself: it is what a
 * browser without JavaScript shows and what prints. Secrets (private keys,
 * passwords in settings and on the command line) are removed; the tester's
 * absolute paths are shown relative to the suite or as `~/...`.
 *
 * @example
 * ```ts
 * import { renderHtml } from "./html.ts";
 * import { writeReport } from "./write.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReport("reports/demo/report.html", renderHtml(run));
 * ```
 */
export function renderHtml(run: RunResult, options: HtmlOptions = {}): string {
  return [...renderHtmlChunks(run, options)].join("");
}

/**
 * {@linkcode renderHtml} as chunks of about 1 MB, made a case at a time: the
 * same page, without the whole run copied (redacted, paths shown) and
 * rendered as one string three times over (the peak of a 2,000-case run).
 *
 * @example
 * ```ts
 * import { renderHtmlChunks } from "./html.ts";
 * import { writeReport } from "./write.ts";
 * import type { RunResult } from "../runner/mod.ts";
 * declare const run: RunResult;
 * await writeReport("reports/report.html", renderHtmlChunks(run));
 * ```
 */
export function* renderHtmlChunks(run: RunResult, options: HtmlOptions = {}): Generator<string> {
  // Each case as the report shows it, made when its turn comes.
  const show = (si: number) => shownCases(run, si);
  // The run as the report shows it, each case only as much as the suites'
  // parts read of it: status and profile verdicts.
  const secrets = secretValues(run);
  const shown = (shell: RunResult) => showRunPaths(redactRun(shell, secrets));
  const r = shown({
    ...run,
    suites: run.suites.map((s) => ({
      ...s,
      cases: s.cases.map((c) => ({ status: c.status, profiles: c.profiles }) as CaseResult),
    })),
  });
  const title = options.title ?? "dicomtls report";
  const banner = r.interrupted
    ? `<div class="panel banner"><b>This run was interrupted</b> before every case finished: unfinished cases are marked interrupted.</div>`
    : "";
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${esc(`${r.tool.name} ${r.tool.version}`)}">
<title>${esc(title)}</title>
<style>${STYLE}</style>
<script>document.documentElement.classList.add("js");</script>
</head>
<body>
${htmlHeader(r, title)}
<main>
${banner}${summary(r)}
<section class="panel interactive" aria-label="cases">
<div class="toolbar">
<div class="chips" id="status-filter" aria-label="filter by status"></div>
<select id="suite-filter" aria-label="filter by suite"><option value="">all suites</option></select>
<select id="tag-filter" aria-label="filter by tag"><option value="">all tags</option></select>
<input type="search" id="search" placeholder="search cases, descriptions, messages, tags…" aria-label="search">
<button type="button" id="expand">expand page</button>
<button type="button" id="collapse">collapse all</button>
<span class="shown" id="shown"></span>
</div>
<table id="cases">
<thead><tr><th>status</th><th>case</th><th>suite</th><th>stage</th><th class="num">time</th><th>message</th></tr></thead>
<tbody id="rows"></tbody>
</table>
<div class="pager"><button type="button" id="prev">‹ previous</button><span id="page"></span><button type="button" id="next">next ›</button></div>
</section>
`;
  yield* staticCases(run, show);
  yield `
${profilesHtml(r)}${staticSuites(r)}
</main>
<script type="application/json" id="run-data">`;
  yield* _spliceCases(run, (shell) => embedJson(shown(shell)), function* (suite) {
    const shownCase = show(suite);
    for (const [i, c] of run.suites[suite].cases.entries()) {
      yield `${i ? "," : ""}${embedJson(shownCase(c))}`;
    }
  });
  yield `</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
