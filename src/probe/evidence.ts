import type { Outcome } from "../outcome/mod.ts";
import { runScu } from "../scu/mod.ts";
import type { TlsCredentials, TlsVersion } from "../tls/mod.ts";
import { cipherSuite } from "../tls/wire/mod.ts";
import type { AssociationEvidence, ProbeReport } from "./report.ts";

/** Options of {@linkcode gatherEvidence}. */
export interface EvidenceOptions {
  /** The target host. */
  host: string;
  /** The target port. */
  port: number;
  /** Our AE title; default "DICOMTLS". */
  callingAe?: string;
  /** The target's AE title; default "ANY-SCP". */
  calledAe?: string;
  /** Our client certificate, for targets that require one. */
  credentials?: TlsCredentials;
  /** Deadline of each conversation (TCP, TLS, association, C-ECHO, release); default 10000 ms. */
  timeoutMs?: number;
}

/**
 * Evidence that counts: for each version the probe found accepted, one
 * real conversation through the SCU engine on the OpenSSL stack
 * (`runScu` with `stack: "openssl"`), limited to exactly that version and
 * the suites accepted in it, presenting our client certificate when given:
 * TLS handshake, A-ASSOCIATE-RQ, C-ECHO, A-RELEASE. "echoed" means a DICOM
 * conversation over that version worked, not only a ServerHello. The
 * server's certificate is not judged here (the probe reports it). SSL 3.0
 * is `not-tried` (this OpenSSL has none). One at a time; never rejects.
 *
 * @example
 * ```ts
 * import { gatherEvidence } from "./evidence.ts";
 * import type { ProbeReport } from "./report.ts";
 * import { loadCredentials } from "../tls/mod.ts";
 * declare const report: ProbeReport;
 * const credentials = await loadCredentials({ cert: "client.crt", key: "client.key" });
 * const evidence = await gatherEvidence(report, {
 *   host: "127.0.0.1", port: 2762, calledAe: "STORESCP", credentials,
 * });
 * console.log(evidence.map((e) => `${e.version}: ${e.result} ${e.detail}`));
 * ```
 */
export async function gatherEvidence(
  report: ProbeReport,
  options: EvidenceOptions,
): Promise<AssociationEvidence[]> {
  const out: AssociationEvidence[] = [];
  for (const v of report.versions) {
    if (v.status !== "accepted") continue;
    const named = v.suites.map((s) => cipherSuite(s.code)).filter((s) => s?.openssl);
    if (v.version === "SSLv3" || named.length === 0) {
      const why = v.version === "SSLv3"
        ? "the OpenSSL stack has no SSL 3.0"
        : "no suite accepted in it is known to OpenSSL";
      out.push({ version: v.version, result: "not-tried", detail: why, durationMs: 0 });
      continue;
    }
    out.push(await _converse(v.version as TlsVersion, named.map((s) => s!.iana!), options));
  }
  return out;
}

async function _converse(
  version: TlsVersion,
  suites: string[],
  o: EvidenceOptions,
): Promise<AssociationEvidence> {
  const began = performance.now();
  const tls13 = version === "TLSv1.3";
  try {
    const outcome = await runScu({
      host: o.host,
      port: o.port,
      callingAe: o.callingAe ?? "DICOMTLS",
      calledAe: o.calledAe ?? "ANY-SCP",
      ...(o.credentials ? { credentials: o.credentials } : {}),
      policy: { method: "none" },
      stack: "openssl",
      minVersion: version,
      maxVersion: version,
      ...(tls13 ? { ciphersuites: suites } : { ciphers: suites }),
      timeoutMs: o.timeoutMs ?? 10_000,
      operations: [{ command: "C-ECHO" }],
    });
    return { version, ..._result(outcome), durationMs: Math.round(performance.now() - began) };
  } catch (e) {
    // Our side could not even start (a bad option): not the target's doing.
    return {
      version,
      result: "failed",
      detail: `not run: ${(e as Error).message.split("\n")[0].slice(0, 200)}`,
      durationMs: Math.round(performance.now() - began),
    };
  }
}

function _result(
  o: Outcome,
): Pick<AssociationEvidence, "result" | "detail" | "protocol" | "cipher"> {
  if (o.tcp.status !== "connected") {
    return {
      result: "failed",
      detail: `TCP ${o.tcp.status}${o.tcp.error ? `: ${o.tcp.error}` : ""}`,
    };
  }
  const tls = o.tls;
  const done = tls?.status === "established" && tls.protocol && tls.cipher
    ? { protocol: tls.protocol, cipher: tls.cipher }
    : {};
  const echo = o.dimse?.operations.find((op) => op.command === "C-ECHO");
  if (echo?.category === "success" && o.association?.result === "accepted") {
    return {
      result: "echoed",
      detail: `${tls?.protocol} ${tls?.cipher}, A-ASSOCIATE-AC, C-ECHO ${
        echo.statusName ?? "Success"
      }`,
      ...done,
    };
  }
  if (tls && tls.status !== "established") {
    const why = tls.alert ? `alert ${tls.alert.name}` : tls.error ?? tls.status;
    const refused = tls.status === "refused-by-peer";
    return { result: refused ? "refused" : "failed", detail: `TLS ${tls.status}: ${why}`, ...done };
  }
  const a = o.association;
  const why = a?.reject
    ? `A-ASSOCIATE-RJ ${a.reject.result}, ${a.reject.source}, ${a.reject.reason}`
    : a?.abort
    ? `A-ABORT ${a.abort.source}, ${a.abort.reason}`
    : echo
    ? `C-ECHO ${echo.statusName ?? echo.category}`
    : `association ${a?.result ?? "not requested"}`;
  return {
    result: "failed",
    detail: `${tls?.protocol} ${tls?.cipher}: ${why}${o.error ? ` (${o.error})` : ""}`,
    ...done,
  };
}
