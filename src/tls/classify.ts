import type { TlsAlert } from "../outcome/mod.ts";
import { tlsAlert } from "./alerts.ts";

/** What a TLS error says about the peer: the alert it sent, or that it closed without one. */
export interface TlsErrorClass {
  /** The alert the peer sent, when the error names one. */
  alert?: TlsAlert;
  /** The peer closed or reset the connection without sending an alert. */
  closedWithoutAlert?: boolean;
  /** The error's own text, for the report. */
  message: string;
  /** The error's code, e.g. "ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED", "ECONNRESET". */
  code?: string;
}

const CLOSED_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_STREAM_PREMATURE_CLOSE"]);
const CLOSED_TEXT =
  /disconnected before secure TLS connection|socket hang up|unexpected eof|connection reset|broken pipe|peer closed connection|close_notify/i;

/**
 * Classifies an error from a `node:tls` socket (Deno's rustls-backed one, or
 * Node's OpenSSL one) as a peer alert or a close without alert.
 *
 * With TLS 1.3 a server that refuses our client certificate does so after our
 * side of the handshake has completed: the alert arrives as an error on the
 * first read. Pass that error here to report it as a TLS refusal rather than
 * an association failure.
 *
 * @example
 * ```ts
 * import { classifyTlsError } from "./classify.ts";
 * classifyTlsError(new Error("received fatal alert: CertificateExpired"));
 * // { alert: { name: "certificate_expired", code: 45 }, message: "received fatal alert: CertificateExpired" }
 * ```
 */
export function classifyTlsError(error: unknown): TlsErrorClass {
  const message = inOurWords(error instanceof Error ? error.message : String(error));
  const rawCode = (error as { code?: unknown } | null)?.code;
  const code = typeof rawCode === "string" ? rawCode : undefined;
  const result: TlsErrorClass = { message, ...(code ? { code } : {}) };
  // The OpenSSL stack's errors carry the peer's alert as data.
  const received = (error as { alertReceived?: TlsAlert } | null)?.alertReceived;
  const alert = received ?? alertIn(message);
  if (alert) result.alert = alert;
  else if (
    (code && CLOSED_CODES.has(code)) || CLOSED_TEXT.test(message) ||
    (error as { kind?: string } | null)?.kind === "peer-closed"
  ) {
    result.closedWithoutAlert = true;
  }
  return result;
}

// Deno appends an OpenSSL-style reason to rustls's errors that says nothing
// true of them (measured: "... HandshakePayloadTooLarge (SSL routines:
// ssl3_get_record:wrong version number)", though no OpenSSL ran).
const DENO_SUFFIX = / \(SSL routines:[^()]*\)$/;

// rustls's own words for what the user can act on, said in ours.
const RUSTLS_WORDS: [RegExp, string][] = [
  [
    /^received corrupt message of type HandshakePayloadTooLarge$/,
    "a handshake message of the peer (its certificate chain, most often) is larger than " +
    "the 64 KiB the rustls stack accepts (hint: the OpenSSL stack takes it: " +
    "--tls-stack openssl, or tls: { stack: openssl } in a suite)",
  ],
];

function inOurWords(message: string): string {
  const bare = message.replace(DENO_SUFFIX, "");
  return RUSTLS_WORDS.find(([re]) => re.test(bare))?.[1] ?? bare;
}

function alertIn(message: string): TlsAlert | undefined {
  // rustls: "received fatal alert: UnknownCA" or "... alert: Unknown(123)".
  const rustls = /received fatal alert: (\w+)(?:\((\d+)\))?/.exec(message);
  if (rustls) return rustls[2] ? tlsAlert(Number(rustls[2])) : tlsAlert(rustls[1]);
  // OpenSSL: "... SSL alert number 48".
  const number = /alert number (\d+)/i.exec(message);
  if (number) return tlsAlert(Number(number[1]));
  // Not the error code: Deno gives rustls's own errors OpenSSL-style codes
  // that name no alert the peer sent (measured: "received unexpected message:
  // got ApplicationData when expecting Handshake" has the code
  // ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE). The OpenSSL stack passes the
  // peer's alert as data.
  return undefined;
}
