import type { RunInvocation, RunResult, SuiteResult } from "../runner/result.ts";
import { escapeMarkup as esc, shellLine } from "./_text.ts";

// The report's header: what was tested (each target with its role and AE
// title), how (the command line), by what (tool version) and from where (the
// tester's host), so that a report attached to a ticket stands alone.

/** One target of the run and the suites that tested it. */
interface Target {
  role: string;
  ae?: string;
  host: string;
  port: number;
  suites: string[];
}

function targets(suites: readonly SuiteResult[]): Target[] {
  const byAddress = new Map<string, Target>();
  for (const s of suites) {
    const t = s.target;
    const role = (t.role ?? "scp").toUpperCase();
    const key = JSON.stringify([role, t.ae, t.host, t.port]);
    const seen = byAddress.get(key);
    if (seen) seen.suites.push(s.name);
    else byAddress.set(key, { role, ae: t.ae, host: t.host, port: t.port, suites: [s.name] });
  }
  return [...byAddress.values()];
}

function targetTable(suites: readonly SuiteResult[]): string {
  const rows = targets(suites).map((t) =>
    `<tr><td>${esc(t.role)}</td><td class="mono">${esc(t.ae ?? "–")}</td><td class="mono">${
      esc(t.host)
    }</td><td class="mono">${t.port}</td><td>${t.suites.map(esc).join("<br>")}</td></tr>`
  );
  return `<table class="targets"><thead><tr><th>role</th><th>AE title</th><th>host</th><th>port</th><th>suites</th></tr></thead><tbody>${
    rows.join("")
  }</tbody></table>`;
}

function command(i: RunInvocation): string {
  return `<code class="command">${esc(shellLine(i.commandLine))}</code>`;
}

function fact(label: string, value: string): string {
  return `<dt>${label}</dt><dd>${value}</dd>`;
}

/** The page header: title, targets, command line, tool, tester's host, times and shards. */
export function htmlHeader(run: RunResult, title: string): string {
  const started = run.startedAt.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC");
  const n = run.suites.length;
  const facts = [
    run.invocation ? fact("command", command(run.invocation)) : "",
    fact("tool", esc(`${run.tool.name} ${run.tool.version}`)),
    run.invocation ? fact("tester's host", esc(run.invocation.host)) : "",
    fact(
      "run",
      `started ${esc(started)} · took ${(run.durationMs / 1000).toFixed(1)} s · ${n} suite${
        n === 1 ? "" : "s"
      }`,
    ),
  ];
  if (run.shards?.length) {
    const shards = run.shards.map((s) =>
      `<li>shard ${s.index}/${s.total}${
        s.invocation ? ` on ${esc(s.invocation.host)}: ${command(s.invocation)}` : ""
      }</li>`
    );
    facts.push(
      fact(
        "merged from",
        `${run.shards.length} shard${run.shards.length > 1 ? "s" : ""}<ul>${shards.join("")}</ul>`,
      ),
    );
  }
  return `<header class="panel head">
<h1>${esc(title)} <span>· DICOM over TLS conformance</span></h1>
<h2>Target${targets(run.suites).length === 1 ? "" : "s"}</h2>
${targetTable(run.suites)}
<dl class="facts">${facts.join("")}</dl>
</header>`;
}
