import type { NamedProbe, ProbeReport } from "../probe/mod.ts";
import { versionLabel } from "../profiles/mod.ts";
import type { ProfileVerdict } from "../profiles/mod.ts";
import { terminalSafe } from "../text/mod.ts";
import { suiteTable } from "./profile_table.ts";

const safe = (text: string) => terminalSafe(text);

/**
 * A probe report and its profile verdicts as text for a terminal: the
 * versions x suites table, preference, groups, signature schemes, the
 * certificate chain, the association evidence, and per profile its verdict
 * with each violation named. Everything the peer controls (certificate
 * names, answers, notes) goes through `terminalSafe`.
 *
 * @example
 * ```ts
 * import { renderProbeText } from "./profile_text.ts";
 * import type { NamedProbe, ProbeReport } from "../probe/mod.ts";
 * import type { ProfileVerdict } from "../profiles/mod.ts";
 * declare const report: ProbeReport;
 * declare const verdicts: ProfileVerdict[];
 * console.log(renderProbeText(report, verdicts));
 * ```
 */
export function renderProbeText(report: ProbeReport, verdicts: readonly ProfileVerdict[]): string {
  const t = report.target;
  const lines = [
    `TLS probe of ${safe(t.host)}:${t.port}: ${report.hellos.sent} hellos in ${
      (report.durationMs / 1000).toFixed(1)
    } s (concurrency ${report.hellos.concurrency}, retries ${report.hellos.retries})`,
  ];
  if (report.error) lines.push(`  not probed: ${safe(report.error)}`);
  else lines.push(..._versions(report), ..._details(report), ..._chain(report));
  for (const note of report.notes) lines.push(`  note: ${safe(note)}`);
  for (const v of verdicts) lines.push("", ..._verdict(v));
  return lines.join("\n");
}

function _versions(report: ProbeReport): string[] {
  const table = suiteTable(report);
  const evidence = new Map((report.evidence ?? []).map((e) => [e.version, e]));
  const lines = [
    "",
    "Versions (one hello each; accepted = a ServerHello for exactly that version):",
  ];
  for (const v of table.versions) {
    const e = evidence.get(v.version);
    const proof = e ? `; association: ${e.result} (${safe(e.detail)})` : "";
    lines.push(
      `  ${versionLabel(v.version).padEnd(8)} ${v.status.padEnd(9)} ${safe(v.answer)}${proof}`,
    );
  }
  const probed = report.versions.map((v) => v.suitesProbed).reduce((a, b) => a + b, 0);
  lines.push("", `Cipher suites accepted (${probed} offered one per hello):`);
  const accepted = table.versions.filter((v) => v.status === "accepted").map((v) => v.version);
  const width = Math.max(10, ...table.rows.map((r) => r.name.length));
  lines.push(
    `  ${"".padEnd(width)}  ${
      accepted.map((v) => versionLabel(v).padEnd(8)).join(" ")
    }  key exchange`,
  );
  for (const r of table.rows) {
    const cells = accepted.map((v) => (r.accepted[v] !== undefined ? "yes" : "-").padEnd(8));
    const kx = [...new Set(Object.values(r.accepted).filter((k) => k))].join(", ");
    lines.push(`  ${r.name.padEnd(width)}  ${cells.join(" ")}  ${kx}`);
  }
  for (const v of report.versions) {
    for (const u of v.suitesUnknown) {
      lines.push(`  unknown in ${versionLabel(v.version)}: ${u.name} (${safe(u.why)})`);
    }
  }
  return lines;
}

function _details(report: ProbeReport): string[] {
  const lines = [""];
  for (const v of report.versions) {
    const p = v.preference;
    if (!p) continue;
    const order = p.serverOrder ? `: ${p.serverOrder.join(", ")}` : "";
    const whose = p.order === "server"
      ? "the server's order"
      : p.order === "client"
      ? "the client's order"
      : p.order;
    lines.push(`Suite chosen by ${whose} in ${versionLabel(v.version)}${order}`);
  }
  if (report.prefersTls13 !== undefined) {
    lines.push(
      `TLS 1.3 chosen when a client offers TLS 1.3 and 1.2: ${report.prefersTls13 ? "yes" : "no"}`,
    );
  }
  for (const g of report.groups) {
    const kind = g.version === "TLSv1.3"
      ? "Groups in TLS 1.3"
      : `ECDHE curves in ${versionLabel(g.version)}`;
    lines.push(`${kind}: ${_named(g)}`);
  }
  for (const s of report.signatureAlgorithms) {
    lines.push(`Signature schemes in ${versionLabel(s.version)}: ${_named(s)}`);
  }
  return lines;
}

/**
 * What a list of named probes found: the accepted names, "none" only when
 * every one was refused, and the unknown ones with why ("unknown (no
 * ServerKeyExchange)" when no answer told).
 */
function _named(p: NamedProbe): string {
  const whys = [...new Set(p.unknown.map((u) => safe(u.why)))].join("; ");
  if (p.accepted.length === 0 && p.unknown.length > 0 && p.unknown.length === p.probed) {
    return `unknown (${whys}) (of ${p.probed})`;
  }
  const unknown = p.unknown.length > 0 ? `; ${p.unknown.length} unknown: ${whys}` : "";
  return `${p.accepted.join(", ") || "none"} (of ${p.probed}${unknown})`;
}

function _chain(report: ProbeReport): string[] {
  if (!report.certificates) return [];
  const lines = ["", "Certificate chain (TLS 1.2 Certificate message, leaf first):"];
  report.certificates.forEach((c, i) => {
    lines.push(
      `  ${i} ${safe(c.subject)}`,
      `    issuer ${safe(c.issuer)}; ${safe(c.key)}; ${safe(c.signatureAlgorithm)}; ${
        c.notBefore.slice(0, 10)
      } to ${c.notAfter.slice(0, 10)}`,
    );
  });
  if (report.certificateRequested !== undefined) {
    lines.push(`Client certificate requested: ${report.certificateRequested ? "yes" : "no"}`);
  }
  return lines;
}

function _verdict(v: ProfileVerdict): string[] {
  const lines = [`${v.section} ${v.title} (${v.profile}): ${v.verdict.toUpperCase()}`];
  for (const x of v.violations) lines.push(`  violation: ${safe(x)}`);
  for (const r of v.requirements) {
    if (r.status !== "fail") continue;
    for (const e of r.evidence ?? []) lines.push(`    evidence: ${safe(e)}`);
  }
  for (const x of v.warnings) lines.push(`  warning: ${safe(x)}`);
  for (const r of v.requirements) {
    if (r.status === "unknown") lines.push(`  unknown: ${r.text}: ${safe(r.findings.join("; "))}`);
  }
  return lines;
}
