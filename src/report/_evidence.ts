import {
  type AssociationOutcome,
  offeredVersionsText,
  type Outcome,
  type TlsOutcome,
  type WireObservation,
} from "../outcome/mod.ts";
import type { AssertionResult, CaseResult } from "../runner/result.ts";

// What a case showed, as short `key: text` lines: one list for the JUnit
// per-case properties and the HTML report's evidence, so that both say the
// same in the same words.

/** One line of evidence: a stable key (a JUnit property name) and its text. */
export type EvidenceLine = [key: string, text: string];

const ms = (v: number) => `${Math.round(v * 10) / 10} ms`;
const hex4 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * An expected value as a person reads it: a list is "a or b" (any of them
 * passes), a mapping "key value, ...", absent "(absent)"; a DIMSE status
 * code (at `path` dimse.status) in hex, as PS3.7 writes it.
 */
export function expectedText(value: unknown, path?: string): string {
  if (value === undefined) return "(absent)";
  if (Array.isArray(value)) return value.map((v) => expectedText(v, path)).join(" or ");
  if (path === "dimse.status" && typeof value === "number" && Number.isInteger(value)) {
    return hex4(value);
  }
  return scalarText(value);
}

/**
 * An actual value as a person reads it: `null` says how far the conversation
 * got instead ("nothing: ended at tls, refused-by-peer"), a list is "a, b"
 * ("none" when empty).
 */
export function actualText(a: AssertionResult, outcome?: Outcome): string {
  const v = a.actual;
  if (v === null || v === undefined) {
    if (a.path === "alert" && outcome?.tls) return "no alert from the peer";
    return outcome ? `nothing: ended at ${outcome.stage}${endedHow(outcome)}` : "nothing";
  }
  if (Array.isArray(v)) return v.length ? v.map(scalarText).join(", ") : "none";
  return scalarText(v);
}

function scalarText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null) return "nothing";
  if (typeof v === "object") {
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k} ${scalarText(x)}`)
      .join(", ");
  }
  return String(v);
}

function endedHow(o: Outcome): string {
  if (o.stage === "tcp") return `, ${o.tcp.status}`;
  if (o.stage === "tls" && o.tls) return `, ${o.tls.status}`;
  const a = o.association;
  if (o.stage === "association" && a) {
    return `, ${a.result}${a.abort?.by === "us" ? `${gaveUp(a)} by us` : ""}`;
  }
  return "";
}

/** The TLS stage in one line: status, how far it got, what the peer sent or we waited for. */
export function tlsText(t: TlsOutcome): string {
  const parts: string[] = [t.status];
  if (t.after) parts.push(`after ${t.after}`);
  if (t.status === "not-tls" && t.peerSent === "nothing") parts.push("the peer sent nothing");
  if (t.status === "not-tls" && t.peerSent === "non-tls") parts.push("the peer sent non-TLS bytes");
  if (t.waitingFor) parts.push(`waiting for ${t.waitingFor}`);
  if (t.closedWithoutAlert) parts.push("closed without alert");
  return parts.join(", ");
}

function tlsEvidence(t: TlsOutcome): EvidenceLine[] {
  const out: EvidenceLine[] = [["tls", tlsText(t)]];
  if (t.stack) out.push(["tls.stack", `${t.stack}${t.stackReason ? ` (${t.stackReason})` : ""}`]);
  if (t.protocol) out.push(["tls.protocol", t.protocol]);
  if (t.cipher) out.push(["tls.cipher", t.cipher]);
  if (t.group) out.push(["tls.group", `${t.group}${t.keyBits ? `, ${t.keyBits} bits` : ""}`]);
  if (t.alert) out.push(["tls.alert", `${t.alert.name} (${t.alert.code}) from the peer`]);
  if (t.alertSent) out.push(["tls.alertSent", `${t.alertSent.name} (${t.alertSent.code}) by us`]);
  if (t.firstBytes) {
    out.push(["tls.firstBytes", `${t.firstBytes.description} (${t.firstBytes.hex.slice(0, 32)})`]);
  }
  if (t.peer) {
    out.push(["peer.subject", t.peer.subject], ["peer.sha1", t.peer.sha1]);
    out.push(["peer.sha256", t.peer.sha256]);
  }
  const v = t.verification;
  if (v) {
    const verdict = v.ok ? "accepted" : `refused (${v.reasons.join(", ")})`;
    out.push(["verification", `${v.method}${v.checkedHostname ? " + host name" : ""}: ${verdict}`]);
  }
  if (t.error && t.status !== "established") out.push(["tls.detail", t.error]);
  return out;
}

function wireEvidence(w: WireObservation, tls?: TlsOutcome): EvidenceLine[] {
  const out: EvidenceLine[] = [];
  const ch = w.clientHello;
  if (ch) {
    const sni = ch.serverName ? `, SNI ${ch.serverName}` : "";
    out.push([
      "wire.clientHello",
      `${w.role === "client" ? "we" : "the peer"} offered ${offeredVersionsText(ch)}, ${
        ch.cipherSuites.filter((s) => !s.grease).length
      } suites${sni}`,
    ]);
  }
  for (
    const [key, hello] of [["wire.helloRetryRequest", w.helloRetryRequest], [
      "wire.serverHello",
      w.serverHello,
    ]] as const
  ) {
    if (hello) {
      const group = hello.selectedGroup ? `, ${hello.selectedGroup.name}` : "";
      out.push([key, `${hello.version.name}, ${hello.cipherSuite.name}${group}`]);
    }
  }
  if (w.alerts.length) {
    out.push([
      "wire.alerts",
      w.alerts.slice(0, 4).map((a) =>
        `${
          a.direction === "sent" ? "we sent" : "the peer sent"
        } ${a.level} ${a.description.name} at ${ms(a.atMs)}`
      ).join("; ") + (w.alerts.length > 4 ? `; ${w.alerts.length - 4} more` : ""),
    ]);
  }
  if (!w.peerSpokeTls && w.peerFirstBytes && !tls?.firstBytes) {
    out.push(["wire.peerFirstBytes", w.peerFirstBytes.description]);
  }
  const c = w.close;
  if (c.first) {
    const end = c.first === "peer" ? c.peer : c.us;
    const who = c.first === "peer" ? "the peer" : "we";
    out.push(["wire.close", `${who} closed first${end ? ` (${end.how} at ${ms(end.atMs)})` : ""}`]);
  }
  out.push([
    "wire.bytes",
    `sent ${w.sent.bytes} B in ${w.sent.records} records, received ${w.received.bytes} B in ${w.received.records}`,
  ]);
  if (w.errors.length) out.push(["wire.errors", w.errors.slice(0, 3).join("; ")]);
  return out;
}

/**
 * The evidence of one conversation, stage by stage: TCP, TLS (how far, alerts
 * either way, first bytes of a peer that is not TLS, what we waited for), the
 * peer certificate and our verdict, the wire (hellos, plaintext alerts, who
 * closed first), the association, each DIMSE status, the release and a
 * harness error.
 */
export function outcomeEvidence(o: Outcome | undefined): EvidenceLine[] {
  if (!o) return [];
  const out: EvidenceLine[] = [["stage", o.stage]];
  out.push(["tcp", `${o.tcp.status}${o.tcp.error ? `: ${o.tcp.error}` : ""}`]);
  if (o.tls) out.push(...tlsEvidence(o.tls));
  if (o.wire) out.push(...wireEvidence(o.wire, o.tls));
  const a = o.association;
  if (a && a.result !== "not-requested") {
    const ae = a.callingAe || a.calledAe ? ` (${a.callingAe ?? "?"} to ${a.calledAe ?? "?"})` : "";
    const why = a.reject
      ? `: ${a.reject.result}, ${a.reject.source}, ${a.reject.reason}`
      : a.abort
      ? `${gaveUp(a)}${a.abort.by === "us" ? " by us" : ""}: ${a.abort.source}, ${a.abort.reason}`
      : a.result !== "accepted" && a.error
      ? `: ${a.error}`
      : "";
    out.push(["association", `${a.result}${why}${ae}`]);
  }
  for (const op of o.dimse?.operations ?? []) {
    const code = op.status === undefined ? "" : ` ${hex4(op.status)}`;
    const file = op.file ? ` (${op.file})` : "";
    out.push([
      op.command,
      `${op.category}${code}${op.statusName ? ` ${op.statusName}` : ""}${file}`,
    ]);
  }
  if (a?.released !== undefined) out.push(["release", a.released ? "done" : "failed"]);
  if (o.error) out.push(["error", o.error]);
  return out;
}

// Our A-ABORT on giving up (a timeout) leaves the result as it was: "timeout, aborted by us".
const gaveUp = (a: AssociationOutcome) => a.result === "aborted" ? "" : ", aborted";

/**
 * For a case that passed although the conversation did not succeed: the
 * refusal it expected, in words ("the peer refused the TLS handshake: ...").
 * Undefined for other cases.
 */
export function expectedRefusal(c: CaseResult): string | undefined {
  const o = c.outcome;
  if (c.status !== "passed" || !o || o.ok) return undefined;
  const a = o.association;
  if (a?.reject) {
    return `the association was rejected as expected: ${a.reject.result}, ${a.reject.source}, ${a.reject.reason}`;
  }
  if (a?.abort && a.result === "aborted") {
    // Ours answered a PDU of the peer's that PS3.8 has no place for: that PDU was its refusal.
    const who = a.abort.by === "us" ? " by us on the peer's protocol violation" : "";
    return `the association was aborted${who} as expected: ${a.abort.source}, ${a.abort.reason}`;
  }
  if (o.tls && o.tls.status !== "established") {
    return `the TLS handshake ended as expected: ${tlsText(o.tls)}`;
  }
  if (o.stage === "tcp") return `the connection ended as expected: ${o.tcp.status}`;
  const last = o.dimse?.operations.at(-1);
  if (last) return `${last.command} ended as expected: ${last.statusName ?? last.category}`;
  return `ended at ${o.stage} as expected`;
}
