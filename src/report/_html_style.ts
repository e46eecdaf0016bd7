// The HTML report's stylesheet: inline, system fonts only (no network), light
// and dark schemes, and a print layout without the controls.
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
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
code, .mono, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
header { padding: 20px 28px 8px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 650; }
header h1 span { color: var(--muted); font-weight: 400; }
.meta { color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 18px; }
main { padding: 0 28px 40px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin: 14px 0; }
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
  border-radius: 6px; padding: 4px 8px;
}
input[type=search] { min-width: 240px; }
button { cursor: pointer; } button:hover:not(:disabled) { background: var(--hover); }
button:disabled { opacity: .45; cursor: default; }
.shown { color: var(--muted); margin-left: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
#cases tr.case { cursor: pointer; }
#cases td:first-child { white-space: nowrap; }
select { max-width: 280px; }
.tag[class*=" s-"] { color: var(--c); border-color: var(--c); }
#cases tr.case:hover { background: var(--hover); }
#cases td.name { font-weight: 550; word-break: break-word; }
#cases td.msg { color: var(--muted); word-break: break-word; max-width: 40em; }
#cases td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.toggle { border: none; background: none; padding: 0 4px; color: var(--muted); font-size: 12px; }
.tag { display: inline-block; font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; margin: 0 4px 0 0; font-weight: 400; }
.tag.matrix { border-style: dashed; }
tr.detail > td { background: var(--bg); padding: 12px 16px 16px; }
.sections { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; }
.section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
.section.wide { grid-column: 1 / -1; }
.section h3 { margin: 0 0 8px; font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.section table td, .section table th { padding: 3px 6px; font-size: 13px; }
dl.kv { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 14px; margin: 0; }
dl.kv dt { color: var(--muted); } dl.kv dd { margin: 0; overflow-wrap: anywhere; }
dl.kv dd ul { margin: 0; padding-left: 18px; }
dl.kv dd .mono { word-break: break-all; }
.ok { color: var(--passed); font-weight: 600; } .bad { color: var(--failed); font-weight: 600; }
.thumb { word-break: break-all; }
.cert { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 0 0 8px; }
.cert h4 { margin: 0 0 6px; font-size: 13px; }
.timeline { position: relative; }
.stage { display: grid; grid-template-columns: 96px 1fr 80px; gap: 8px; align-items: center; margin: 3px 0; }
.stage .track { position: relative; height: 12px; background: var(--code); border-radius: 3px; }
.stage .fill { position: absolute; top: 0; bottom: 0; min-width: 2px; border-radius: 3px; background: var(--expected-failure); }
.stage .fill.last { background: var(--c, var(--expected-failure)); }
.dir-sent { color: var(--expected-failure); } .dir-received { color: var(--passed); }
pre { background: var(--code); padding: 8px 10px; border-radius: 6px; overflow: auto; max-height: 320px; white-space: pre-wrap; word-break: break-word; margin: 4px 0; }
.pager { display: flex; gap: 10px; align-items: center; justify-content: flex-end; margin-top: 10px; }
.empty { color: var(--muted); text-align: center; padding: 24px; }
details.suite summary { cursor: pointer; }
h2 { font-size: 15px; margin: 0 0 10px; }
@media print {
  body { background: #fff; color: #000; font-size: 11px; }
  .toolbar, .pager, .toggle, .noprint { display: none !important; }
  .panel, .section { border-color: #bbb; break-inside: avoid; }
  tr.case, tr.detail { break-inside: avoid; }
  .badge, .bar span, .stage .fill { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  pre { max-height: none; }
}
`;
