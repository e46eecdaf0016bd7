import {
  type AssociationOutcome,
  type ClientHelloInfo,
  offeredVersionsText,
  type Outcome,
  type TlsOutcome,
  type TriggerEvidence,
} from "../outcome/mod.ts";
import { hostPort, terminalSafe } from "../text/mod.ts";

/**
 * An inbound Outcome (the SUT, an SCU, connected to us) as text, one line
 * per thing it offered and did: where we listened, the trigger and how it
 * ended, the connection, the ClientHello, the handshake or the refusal and
 * its cause, its client certificate and our verdict, its A-ASSOCIATE-RQ and
 * our answer, each DIMSE request and our answer, the release. With
 * `problem` (what kept the case from judging the SUT) the result is ERROR.
 * What `dicomtls listen` prints. Pure; every line through `terminalSafe`.
 *
 * @example
 * ```ts
 * import { renderInboundOutcome } from "./inbound_text.ts";
 * import type { Outcome } from "../outcome/mod.ts";
 * declare const outcome: Outcome;
 * console.log(renderInboundOutcome(outcome));
 * // listen       127.0.0.1:2762
 * // connection   from 127.0.0.1:53122 (1 connection)
 * // ClientHello  TLSv1.3, TLSv1.2; 31 suites: TLS_AES_256_GCM_SHA384, ...
 * // ...
 * ```
 */
export function renderInboundOutcome(
  outcome: Outcome,
  options: { problem?: string } = {},
): string {
  const lines: string[] = [];
  const row = (label: string, text: string) =>
    lines.push(`${label.padEnd(12)} ${terminalSafe(text)}`);
  row("listen", hostPort(outcome.target));
  if (outcome.trigger) row("trigger", triggerLine(outcome.trigger));
  const n = outcome.connections?.length ?? 0;
  if (!outcome.peerAddress) {
    row("connection", outcome.tcp.error ?? "none");
  } else {
    row("connection", `from ${outcome.peerAddress} (${n} connection${n === 1 ? "" : "s"})`);
  }
  if (outcome.clientHello) helloRows(outcome.clientHello, row);
  if (outcome.tls) tlsRows(outcome.tls, outcome, row);
  requestRows(outcome, row);
  if (outcome.error && !outcome.peerAddress && outcome.error !== options.problem) {
    row("error", outcome.error);
  }
  // What kept us from judging the SUT (our timeout, ...) is an error, never its failure.
  const verdict = options.problem ? "ERROR" : outcome.ok ? "OK" : "FAILED";
  row("result", `${verdict} at ${outcome.stage} in ${outcome.durationMs} ms`);
  if (options.problem && options.problem !== outcome.tcp.error) row("", options.problem);
  return lines.join("\n");
}

type Row = (label: string, text: string) => void;

function triggerLine(t: TriggerEvidence): string {
  const end = t.error ??
    (t.exitCode !== undefined
      ? `exited ${t.exitCode}`
      : t.httpStatus !== undefined
      ? `HTTP ${t.httpStatus}`
      : t.stopped
      ? "stopped by us"
      : "");
  return `${t.description}${end ? `: ${end}` : ""} (${t.durationMs} ms)`;
}

function names(list: { name: string; grease?: true }[] | undefined, max = 6): string {
  const shown = (list ?? []).filter((x) => !x.grease).map((x) => x.name);
  if (shown.length === 0) return "none";
  return shown.length > max
    ? `${shown.slice(0, max).join(", ")}, ... (${shown.length})`
    : shown.join(", ");
}

function helloRows(h: ClientHelloInfo, row: Row) {
  const suites = h.cipherSuites.filter((s) => !s.grease);
  row("ClientHello", `${offeredVersionsText(h)}; ${suites.length} suites: ${names(suites)}`);
  row("", `  SNI ${h.serverName ?? "none"}; ALPN ${h.alpn?.join(", ") ?? "none"}`);
  row("", `  groups ${names(h.supportedGroups)}`);
  row("", `  signature algorithms ${names(h.signatureAlgorithms)}`);
}

function tlsRows(tls: TlsOutcome, o: Outcome, row: Row) {
  const params = [tls.protocol, tls.cipher].filter(Boolean).join(", ");
  if (tls.status === "established") row("TLS", params);
  else if (tls.status === "refused-by-peer") {
    const why = tls.alert ? `alert ${tls.alert.name} (${tls.alert.code})` : "closed without alert";
    row("TLS", `refused by the client: ${why}${tls.after ? ` after ${tls.after}` : ""}`);
  } else if (tls.status === "not-tls") row("TLS", `the client does not speak TLS: ${tls.error}`);
  else if (tls.status === "refused-by-us") {
    row("TLS", `refused by us${params ? ` (${params})` : ""}`);
  } else row("TLS", `${tls.status}${tls.error ? `: ${tls.error}` : ""}`);
  if (tls.cause) row("", `  cause: ${tls.cause}`);
  if (tls.stack === "openssl") row("", "  via OpenSSL");
  const cert = tls.peer;
  if (cert) {
    row("client cert", `${cert.subject} (issuer ${cert.issuer})`);
    row("", `  valid ${cert.notBefore} to ${cert.notAfter}, ${cert.key}, SHA-1 ${cert.sha1}`);
  } else if (o.clientCertificate) row("client cert", o.clientCertificate);
  const v = tls.verification;
  if (v) {
    row("  our check", `${v.method}: ${v.ok ? "accepted" : `refused (${v.reasons.join(", ")})`}`);
    for (const d of v.ok ? [] : v.details) row("", `  ${d}`);
  }
}

function requestRows(o: Outcome, row: Row) {
  const rq = o.associationRequest;
  if (rq) {
    const pcs = rq.presentationContexts.length;
    // PS3.7 D.3.3.2: a UID of 64 characters at most, a version name of 16; a SUT may send 64 KiB.
    const impl = [clip(rq.implementationClassUid, 64), clip(rq.implementationVersionName, 16)]
      .filter(Boolean).join(" ");
    row(
      "A-ASSOC-RQ",
      `${rq.callingAe} -> ${rq.calledAe}, ${pcs} presentation context${pcs === 1 ? "" : "s"}, ` +
        `max PDU ${rq.maxPduLength ?? "?"}${impl ? `, ${impl}` : ""}`,
    );
    const u = rq.userIdentity;
    if (u) {
      row(
        "",
        `  user identity ${u.typeName}${u.username ? ` "${u.username}"` : ""}${
          u.passcode ? " with passcode" : ""
        }`,
      );
    }
  }
  const a = o.association;
  if (a && a.result !== "not-requested") {
    const why = a.reject
      ? `: ${a.reject.result}, ${a.reject.source}, ${a.reject.reason}`
      : a.abort
      ? `${abortedBy(a)}: ${a.abort.source}, ${a.abort.reason}`
      : a.error
      ? `: ${a.error}`
      : "";
    row("association", `${a.result}${why}`);
  } else if (a?.error) row("association", a.error);
  for (const r of o.dimse?.requests ?? []) {
    const answer = r.answer.aborted
      ? "aborted by us (not supported)"
      : `${r.answer.statusName ?? "?"} (0x${
        (r.answer.status ?? 0).toString(16).padStart(4, "0").toUpperCase()
      })`;
    const what = r.sopInstanceUid ? ` ${r.sopInstanceUid}` : "";
    row(r.command, `request${what} -> ${answer}`);
  }
  const notListed = o.dimse?.requestsNotListed;
  if (notListed) {
    row("requests", `${notListed} more between the first 1,000 and the last: not listed`);
  }
  if (a?.released !== undefined) row("release", a.released ? "done" : "not completed");
}

// `text` as sent when within the standard's `max` characters, else its start and its length.
function clip(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.length <= max) return text;
  return `${text.slice(0, max)}... (${text.length} characters; PS3.7 allows ${max})`;
}

// Whose A-ABORT: ours (on giving up, the result stays `accepted`: "accepted, aborted by us") or the SUT's.
function abortedBy(a: AssociationOutcome): string {
  if (a.abort?.by === "peer") return " by the SUT";
  if (a.abort?.by !== "us") return "";
  return `${a.result === "aborted" ? "" : ", aborted"} by us`;
}
