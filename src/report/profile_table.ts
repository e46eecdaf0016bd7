import type { ProbeReport, ProtocolVersionName } from "../probe/mod.ts";

/** One row of the versions x suites table: a suite and where it is accepted. */
export interface SuiteRow {
  /** IANA name. */
  name: string;
  openssl?: string;
  /** Per version: accepted there (key exchange seen, "" when none), or absent. */
  accepted: Partial<Record<ProtocolVersionName, string>>;
}

/** The versions x suites table of a probe, as data for the text and HTML reports. */
export interface SuiteTable {
  /** Every version probed, with its status and the server's answer. */
  versions: { version: ProtocolVersionName; status: string; answer: string }[];
  /** Every suite accepted in some version, TLS 1.3 suites last, then by IANA code. */
  rows: SuiteRow[];
}

/**
 * The versions x suites table of a probe report: one row per suite
 * accepted in any version, one column per version.
 *
 * @example
 * ```ts
 * import { suiteTable } from "./profile_table.ts";
 * import type { ProbeReport } from "../probe/mod.ts";
 * declare const report: ProbeReport;
 * const t = suiteTable(report);
 * t.rows.map((r) => `${r.name}: ${Object.keys(r.accepted).join(", ")}`);
 * ```
 */
export function suiteTable(report: ProbeReport): SuiteTable {
  const rows = new Map<number, SuiteRow>();
  for (const v of report.versions) {
    for (const s of v.suites) {
      const row = rows.get(s.code) ?? {
        name: s.name,
        ...(s.openssl && s.openssl !== s.name ? { openssl: s.openssl } : {}),
        accepted: {},
      };
      row.accepted[v.version] = s.keyExchange ?? "";
      rows.set(s.code, row);
    }
  }
  // TLS 1.3 suites are valid in TLS 1.3 only: a row accepted there is one.
  const tls13 = (code: number) => rows.get(code)!.accepted["TLSv1.3"] !== undefined ? 1 : 0;
  return {
    versions: report.versions.map((v) => ({
      version: v.version,
      status: v.status,
      answer: v.answer,
    })),
    rows: [...rows.entries()].sort(([a], [b]) => tls13(a) - tls13(b) || a - b).map(([, r]) => r),
  };
}
