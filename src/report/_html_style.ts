// The HTML report's stylesheet: inline, system fonts only (no network), light
// and dark schemes. Long words (thumbprints, OIDs, paths, peer messages)
// wrap anywhere so that nothing leaves its card at 800 px; tags never break.
// With JavaScript (the page's first script sets html.js) the interactive
// table shows and the static table of every case is hidden; without it, the
// static table shows; in print, the static table with every case's evidence.
export const STYLE = `
:root {
  --bg: #f6f8fa; --panel: #fff; --text: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --passed: #1a7f37; --failed: #cf222e; --error: #8250df; --skipped: #6e7781;
  --expected-failure: #0969da; --interrupted: #9a6700; --code: #eff2f5; --hover: #f0f6ff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --panel: #161b22; --text: #e6edf3; --muted: #9198a1; --line: #3d444d;
    --passed: #3fb950; --failed: #f85149; --error: #ab7df8; --skipped: #9198a1;
    --expected-failure: #4493f8; --interrupted: #d29922; --code: #1f242c; --hover: #1c2633;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; padding: 0 28px 40px; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
code, .mono, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
body { overflow-wrap: break-word; }
dd, pre, p, h3, h4, code, .mono, td.msg, td.name, .checks td, .description { overflow-wrap: anywhere; }
.description { display: block; white-space: pre-line; color: var(--muted); font-weight: 400; min-width: 0; }
td.name .description, details.suite summary .description { font-size: 12.5px; margin-top: 2px; }
.evidence .description { color: var(--text); }
table.pdus td:nth-child(-n+4), table.dimse td { white-space: nowrap; }
table.checks { table-layout: fixed; }
table.targets td.mono { white-space: nowrap; }
.scroll { overflow-x: auto; }
table.checks th { white-space: nowrap; } table.checks th:nth-child(1) { width: 24%; }
table.checks th:nth-child(4), table.checks th:nth-child(5) { width: 76px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin: 14px 0; min-width: 0; }
header.head h1 { margin: 0 0 10px; font-size: 22px; font-weight: 650; }
header.head h1 span { color: var(--muted); font-weight: 400; }
header.head h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 4px; }
table.targets { margin-bottom: 10px; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 14px; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
dl.facts ul { margin: 2px 0 0; padding-left: 18px; }
code.command { display: block; background: var(--code); border-radius: 6px; padding: 4px 8px; white-space: pre-wrap; }
.banner { border-left: 4px solid var(--interrupted); }
.counts { display: flex; flex-wrap: wrap; gap: 10px; margin-bottom: 12px; }
.count { min-width: 116px; padding: 8px 12px; border-radius: 6px; border: 1px solid var(--line); }
.count b { display: block; font-size: 22px; line-height: 1.2; }
.count span { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.count.total b { color: var(--text); }
.bar { display: flex; height: 14px; border-radius: 7px; overflow: hidden; background: var(--line); }
.bar span { display: block; height: 100%; }
.s-passed { --c: var(--passed); } .s-failed { --c: var(--failed); } .s-error { --c: var(--error); }
.s-skipped { --c: var(--skipped); } .s-expected-failure { --c: var(--expected-failure); }
.s-interrupted { --c: var(--interrupted); }
.count b, .verdict { color: var(--c); }
.bar span { background: var(--c); }
.badge {
  display: inline-block; min-width: 84px; text-align: center; padding: 1px 8px; border-radius: 999px;
  font-size: 12px; font-weight: 600; color: #fff; background: var(--c); white-space: nowrap;
}
.toolbar { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; }
.chip { display: inline-flex; gap: 6px; align-items: center; border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px 2px 6px; cursor: pointer; user-select: none; }
.chip input { accent-color: var(--c); margin: 0; }
.chip::before { content: ""; width: 9px; height: 9px; border-radius: 50%; background: var(--c); }
select, input[type=search], button {
  font: inherit; color: var(--text); background: var(--panel); border: 1px solid var(--line);
  border-radius: 6px; padding: 4px 8px; max-width: 100%;
}
input[type=search] { width: 240px; }
button { cursor: pointer; } button:hover:not(:disabled) { background: var(--hover); }
button:disabled { opacity: .45; cursor: default; }
.shown { color: var(--muted); margin-left: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
#cases tr.case { cursor: pointer; }
#cases tr.case > td:first-child, table.cases td:first-child { white-space: nowrap; }
select { max-width: 280px; }
.tag[class*=" s-"] { color: var(--c); border-color: var(--c); }
#cases tr.case:hover { background: var(--hover); }
td.name { font-weight: 550; }
td.msg { color: var(--muted); max-width: 40em; }
.toggle { border: none; background: none; padding: 0 4px; color: var(--muted); font-size: 12px; }
.tag {
  display: inline-block; font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px;
  padding: 0 5px; margin: 0 4px 0 0; font-weight: 400; white-space: nowrap; overflow-wrap: normal; word-break: normal;
}
.tag.matrix { border-style: dashed; }
tr.detail > td { background: var(--bg); padding: 12px 16px 16px; }
.sections { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 12px; }
.section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
.section.wide { grid-column: 1 / -1; }
.section h3 { margin: 0 0 8px; font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.section table td, .section table th, .evidence table td, .evidence table th { padding: 3px 6px; font-size: 13px; }
.section .evidence { border: none; padding: 0; margin: 0; }
.section .evidence h3 { display: none; }
.evidence { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 0 0 10px; min-width: 0; }
.evidence h3 { margin: 0 0 4px; font-size: 14px; }
.evidence .where { margin: 0 0 6px; color: var(--muted); }
.evidence p { margin: 4px 0; }
.evidence .expected-refusal { color: var(--passed); }
.evidence .expected-refusal::before { content: "✓ "; }
.evidence .message { color: var(--c); font-weight: 550; }
.evidence table.checks { margin: 6px 0 8px; }
dl.kv { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 14px; margin: 0; }
dl.kv dt { color: var(--muted); } dl.kv dd { margin: 0; }
dl.kv dd ul, .section ul { margin: 0; padding-left: 18px; }
.ok { color: var(--passed); font-weight: 600; } .bad { color: var(--failed); font-weight: 600; }
.cert { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 0 0 8px; }
.cert h4 { margin: 0 0 6px; font-size: 13px; }
.timeline { position: relative; }
.stage { display: grid; grid-template-columns: 96px 1fr 80px; gap: 8px; align-items: center; margin: 3px 0; }
.stage .track { position: relative; height: 12px; background: var(--code); border-radius: 3px; }
.stage .fill { position: absolute; top: 0; bottom: 0; min-width: 2px; border-radius: 3px; background: var(--expected-failure); }
.stage .fill.last { background: var(--c, var(--expected-failure)); }
.dir-sent { color: var(--expected-failure); } .dir-received { color: var(--passed); }
pre { background: var(--code); padding: 8px 10px; border-radius: 6px; overflow: auto; max-height: 320px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; }
.pager { display: flex; gap: 10px; align-items: center; justify-content: flex-end; margin-top: 10px; }
.empty { color: var(--muted); text-align: center; padding: 24px; }
details.suite summary { cursor: pointer; }
h2 { font-size: 15px; margin: 0 0 10px; }
.where { color: var(--muted); font-size: 12px; }
.static h2 + .evidence, .static table.cases { margin-bottom: 14px; }
html.js .static { display: none; }
html:not(.js) .interactive { display: none; }
@media print {
  body { background: #fff; color: #000; font-size: 11px; padding: 0; }
  code, .mono, pre { font-size: 10px; }
  .evidence table td, .evidence table th { font-size: 10.5px; }
  .interactive { display: none !important; }
  .static { display: block !important; }
  .panel, .section { border-color: #bbb; }
  .evidence, tr { break-inside: avoid; }
  .badge, .bar span, .stage .fill { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  pre { max-height: none; overflow: visible; }
}
`;
