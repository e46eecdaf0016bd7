import type { Outcome, TlsOutcome } from "../outcome/mod.ts";
import { clipLine, hostPort, terminalSafe } from "../text/mod.ts";

// The most characters of a row after its label (escapes counted): far more than any DN needs.
const MAX_ROW = 500;

/**
 * One Outcome as text, one line per stage (TCP, TLS with peer certificate
 * and our verdict, association, each DIMSE operation, release): what
 * `dicomtls echo` and `store` print. Pure: outcome in, string out. Every
 * line goes through {@linkcode terminalSafe}: what the peer sent (certificate
 * subject, alert and error texts) cannot move the cursor, erase or reorder
 * the lines.
 *
 * @example
 * ```ts
 * import { renderOutcome } from "./outcome_text.ts";
 * import type { Outcome, TlsOutcome } from "../outcome/mod.ts";
 * declare const outcome: Outcome;
 * console.log(renderOutcome(outcome));
 * // TCP          connected to 127.0.0.1:11112 (0.4 ms)
 * // TLS          TLSv1.3, TLS_AES_256_GCM_SHA384 (6.2 ms)
 * // ...
 * ```
 */
export function renderOutcome(outcome: Outcome): string {
  const lines: string[] = [];
  // Bounded too: a peer's certificate subject alone may fill 60 KB of a terminal.
  const row: Row = (label, text) =>
    lines.push(`${label.padEnd(12)} ${clipLine(terminalSafe(text), MAX_ROW)}`);
  const took = (stage: string) => {
    const t = outcome.timeline.find((s) => s.stage === stage);
    return t ? ` (${t.durationMs} ms)` : "";
  };
  const target = hostPort(outcome.target);
  const tcp = outcome.tcp;
  row(
    "TCP",
    tcp.status === "connected"
      ? `connected to ${target}${took("tcp")}`
      : `${tcp.status}: ${target}${tcp.error ? `: ${tcp.error}` : ""}`,
  );
  if (outcome.tls) tlsRows(outcome.tls, row, took("tls"));
  associationRows(outcome, row, took);
  if (outcome.error) row("error", outcome.error);
  row("result", `${outcome.ok ? "OK" : "FAILED"} at ${outcome.stage} in ${outcome.durationMs} ms`);
  return lines.join("\n");
}

type Row = (label: string, text: string) => void;

// The TLS stage: what was negotiated or why not, the stack, the peer's certificate, our verdict.
function tlsRows(tls: TlsOutcome, row: Row, took: string): void {
  const kx = tls.group ? `${tls.group}${tls.keyBits ? ` ${tls.keyBits} bits` : ""}` : undefined;
  const params = [tls.protocol, tls.cipher, kx].filter(Boolean).join(", ");
  if (tls.status === "established") row("TLS", `${params}${took}`);
  else if (tls.status === "refused-by-peer") {
    const why = tls.alert ? `alert ${tls.alert.name} (${tls.alert.code})` : "closed without alert";
    const point = tls.after ? ` (after ${tls.after})` : "";
    row("TLS", `refused by the peer: ${why}${point}${params ? ` after ${params}` : ""}`);
  } else if (tls.status === "not-tls") {
    row("TLS", `not TLS: ${tls.error ?? tls.peerSent}`);
    if (tls.firstBytes) row("", `  first bytes: ${tls.firstBytes.hex}`);
  } else if (tls.status === "refused-by-us") {
    row("TLS", `refused by us${params ? ` (${params})` : ""}`);
  } else row("TLS", `${tls.status}${tls.error ? `: ${tls.error}` : ""}`);
  if (tls.stack === "openssl") {
    row("", `  via OpenSSL${tls.stackReason ? ` (${tls.stackReason})` : ""}`);
  }
  // The peer's own words (alert text) belong to the TLS line, before our view of its certificate.
  // (An error or timeout has its words on the TLS line already.)
  const said = tls.status === "refused-by-peer" || tls.status === "refused-by-us";
  if (said && tls.error) row("", `  ${tls.error}`);
  if (tls.peer) {
    row("  peer", `${tls.peer.subject} (issuer ${tls.peer.issuer})`);
    row("  valid", `${tls.peer.notBefore} to ${tls.peer.notAfter}, ${tls.peer.key}`);
    row("  SHA-1", tls.peer.sha1);
    row("  SHA-256", tls.peer.sha256);
  }
  const v = tls.verification;
  if (!v) return;
  const verdict = v.ok
    ? "peer certificate accepted"
    : `peer certificate refused (${v.reasons.join(", ")})`;
  row("  our check", `${v.method}${v.checkedHostname ? " + hostname" : ""}: ${verdict}`);
  for (const d of v.ok ? [] : v.details) row("", `  ${d}`);
}

// The association, each DIMSE operation, and the release.
function associationRows(outcome: Outcome, row: Row, took: (stage: string) => string): void {
  const a = outcome.association;
  if (a && a.result !== "not-requested") {
    const ae = `${a.callingAe ?? "?"} -> ${a.calledAe ?? "?"}`;
    if (a.result === "accepted") row("association", `accepted (${ae})${took("association")}`);
    else if (a.result === "rejected" && a.reject) {
      row(
        "association",
        `rejected (${ae}): ${a.reject.result}, ${a.reject.source}, ${a.reject.reason}`,
      );
    } else if (a.result === "aborted" && a.abort) {
      const by = a.abort.by === "us" ? " by us" : "";
      row("association", `aborted${by} (${ae}): ${a.abort.source}, ${a.abort.reason}`);
    } else row("association", `${a.result} (${ae})${a.error ? `: ${a.error}` : ""}`);
  }
  for (const op of outcome.dimse?.operations ?? []) {
    const code = op.status === undefined
      ? ""
      : ` (0x${op.status.toString(16).padStart(4, "0").toUpperCase()})`;
    const what = [op.file, op.sopInstanceUid && `(${op.sopInstanceUid})`].filter(Boolean).join(" ");
    // A timeout's text already says how long it waited.
    const took = op.category === "timeout" ? "" : ` in ${op.durationMs} ms`;
    row(op.command, `${what ? `${what}: ` : ""}${op.statusName ?? op.category}${code}${took}`);
  }
  if (a?.released !== undefined) {
    row("release", a.released ? `done${took("release")}` : `failed: ${a.error ?? ""}`);
  }
}
