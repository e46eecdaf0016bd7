import type { TlsAlert } from "../../outcome/mod.ts";
import { tlsAlert } from "../alerts.ts";

/**
 * Whose problem a failure is:
 * - `local`: ours: bad input, a key or certificate that does not load, an
 *   option OpenSSL refuses, the helper missing or gone. Nothing to report
 *   about the peer.
 * - `refused`: our OpenSSL refused the peer's handshake (no shared suite or
 *   version, bytes that are not TLS, ...), usually with an alert we sent.
 * - `peer-alert`: the peer sent a fatal alert.
 * - `peer-closed`: the peer closed or reset the connection without an alert.
 * - `timeout`: the handshake did not finish in time.
 */
export type OpenSslErrorKind = "local" | "refused" | "peer-alert" | "peer-closed" | "timeout";

/** Where it happened: before the helper (input), creating the OpenSSL context, in the helper protocol, or in TLS. */
export type OpenSslErrorPhase = "input" | "config" | "helper" | "handshake" | "after-handshake";

/** Options of the {@linkcode OpenSslError} constructor. */
export interface OpenSslErrorOptions {
  kind: OpenSslErrorKind;
  phase: OpenSslErrorPhase;
  /** Node's error code, e.g. "ERR_SSL_NO_SHARED_CIPHER", "ECONNRESET". */
  code?: string;
  /** OpenSSL's reason text, e.g. "no shared cipher". */
  reason?: string;
  /** The fatal alert we sent, when it went out in the clear. */
  alertSent?: TlsAlert;
  /** The fatal alert the peer sent. */
  alertReceived?: TlsAlert;
}

/**
 * A failure of the OpenSSL stack, typed by whose problem it is (`kind`).
 *
 * @example
 * ```ts
 * const e = new OpenSslError("the peer sent alert protocol_version (70)", {
 *   kind: "peer-alert", phase: "handshake", alertReceived: { name: "protocol_version", code: 70 },
 * });
 * e.kind; // "peer-alert"
 * ```
 */
export class OpenSslError extends Error {
  override name = "OpenSslError";
  readonly kind: OpenSslErrorKind;
  readonly phase: OpenSslErrorPhase;
  readonly code?: string;
  readonly reason?: string;
  readonly alertSent?: TlsAlert;
  readonly alertReceived?: TlsAlert;

  constructor(message: string, options: OpenSslErrorOptions) {
    super(message);
    this.kind = options.kind;
    this.phase = options.phase;
    if (options.code) this.code = options.code;
    if (options.reason) this.reason = options.reason;
    if (options.alertSent) this.alertSent = options.alertSent;
    if (options.alertReceived) this.alertReceived = options.alertReceived;
  }
}

/** An error as the helper reports it (Node's error fields). */
export interface HelperErrorFacts {
  phase: string;
  message: string;
  code?: string;
  reason?: string;
}

/** What the relay saw on the wire and the TCP socket. */
export interface WireFacts {
  /** The first fatal alert we sent in the clear. */
  sent?: TlsAlert;
  /** The first fatal alert the peer sent in the clear. */
  received?: TlsAlert;
  /** The TCP socket ended (peer FIN) or failed (e.g. ECONNRESET) before this error. */
  transportClosed?: string;
}

// OpenSSL reasons for refusals, in words a report reader understands.
const EXPLANATIONS: Record<string, string> = {
  "no shared cipher": "the peer offered no suite we accept",
  "unsupported protocol": "the peer offered no version we accept",
  "wrong version number": "the peer's records are not TLS of a version we accept",
  "unknown protocol": "the peer did not speak TLS",
  "http request": "the peer sent an HTTP request, not TLS",
  "packet length too long": "the peer did not speak TLS",
  "record layer failure": "the peer's records are not TLS",
  "no shared signature algorithms": "the peer offered no signature algorithm we accept",
  "no suitable signature algorithm": "no signature algorithm fits our key and the peer's offer",
  "no shared groups": "the peer offered no group we accept",
  "wrong cipher returned": "the peer chose a suite we did not offer",
  "unsupported elliptic curve": "the peer chose a group we did not offer",
  "wrong curve": "the peer chose a group we did not offer",
  "dh key too small": "the peer's DH key is below our security level",
  "peer did not return a certificate": "the peer sent no client certificate",
};

// Failures of our own configuration that OpenSSL only finds at the handshake
// (e.g. only PSK suites asked but no pre-shared key).
const OUR_OFFER_IS_EMPTY = new Set(["no ciphers available", "no protocols available"]);

const CLOSED = /ECONNRESET|EPIPE|ECONNABORTED|socket disconnected|unexpected eof|socket hang up/i;

/**
 * Types an error the helper reported, with what the relay saw on the wire:
 * the peer's alert (from OpenSSL's "alert number N" or an alert in the
 * clear), a close without alert, or our own refusal with the alert we sent.
 *
 * @example
 * ```ts
 * const e = classifyHelperError(
 *   { phase: "handshake", message: "...:no shared cipher:...", code: "ERR_SSL_NO_SHARED_CIPHER", reason: "no shared cipher" },
 *   { sent: { name: "handshake_failure", code: 40 } },
 * );
 * e.kind; // "refused"
 * e.message; // "the peer offered no suite we accept (OpenSSL: no shared cipher); we sent alert handshake_failure (40)"
 * ```
 */
export function classifyHelperError(facts: HelperErrorFacts, wire: WireFacts = {}): OpenSslError {
  const base = { code: facts.code, reason: facts.reason, alertSent: wire.sent };
  if (facts.phase === "config" || facts.phase === "helper") {
    const what = facts.phase === "config" ? "OpenSSL refused our configuration" : "helper protocol";
    return new OpenSslError(`${what}: ${facts.message}`, {
      ...base,
      kind: "local",
      phase: facts.phase,
    });
  }
  const phase = facts.phase === "after-handshake" ? "after-handshake" : "handshake";
  const detail = facts.reason ?? facts.message.trim().split("\n")[0];
  if (OUR_OFFER_IS_EMPTY.has(detail.toLowerCase())) {
    return new OpenSslError(`our options leave nothing to offer (OpenSSL: ${detail})`, {
      ...base,
      kind: "local",
      phase,
    });
  }
  const received = peerAlert(facts) ?? wire.received;
  if (received) {
    return new OpenSslError(
      `the peer sent alert ${received.name} (${received.code}) (OpenSSL: ${detail})`,
      { ...base, kind: "peer-alert", phase, alertReceived: received },
    );
  }
  // OpenSSL's own reason (not an EOF) means it refused, even if the peer
  // closed meanwhile; without one, a closed TCP side explains the failure.
  const closed = CLOSED.test(`${facts.code ?? ""} ${facts.reason ?? ""} ${facts.message}`);
  const openSslReason = facts.reason !== undefined || facts.code?.startsWith("ERR_SSL_");
  if (closed || (!openSslReason && wire.transportClosed)) {
    const how = wire.transportClosed ?? detail;
    return new OpenSslError(`the peer closed the connection without an alert (${how})`, {
      ...base,
      kind: "peer-closed",
      phase,
    });
  }
  const explained = EXPLANATIONS[detail.toLowerCase()];
  const sent = wire.sent ? `; we sent alert ${wire.sent.name} (${wire.sent.code})` : "";
  const text = explained ? `${explained} (OpenSSL: ${detail})` : `OpenSSL: ${detail}`;
  return new OpenSslError(`${text}${sent}`, { ...base, kind: "refused", phase });
}

function peerAlert(facts: HelperErrorFacts): TlsAlert | undefined {
  const number = /alert number (\d+)/i.exec(facts.message);
  if (number) return tlsAlert(Number(number[1]));
  const fromCode = facts.code && /_ALERT_([A-Z0-9_]+)$/.exec(facts.code);
  return fromCode ? tlsAlert(fromCode[1]) : undefined;
}
