import type { TlsOutcome, Verification } from "../outcome/mod.ts";
import { toJson } from "../text/mod.ts";

/**
 * One line per connection the reference AE handled, as JSON: who connected,
 * what TLS gave, our verdict on their certificate, what became of the
 * association, and the DIMSE statuses.
 */
export interface AssociationLog {
  /** ISO 8601 time the connection came in. */
  time: string;
  /** "127.0.0.1:53122". */
  peer: string;
  /** The calling AE title from the A-ASSOCIATE-RQ, trimmed. */
  callingAe?: string;
  /** The called AE title from the A-ASSOCIATE-RQ, trimmed. */
  calledAe?: string;
  /** The negotiated TLS version and cipher, when the handshake completed. */
  /** The TLS stage: established (protocol, cipher), or why the handshake did not complete. */
  tls?: TlsOutcome;
  /** The client certificate: subject and SHA-1 thumbprint (absent when none was sent). */
  peerCertificate?: { subject: string; sha1: string };
  /** Our verdict on the client certificate (absent without mutual authentication). */
  verification?: Pick<Verification, "method" | "ok" | "reasons">;
  /**
   * tls-refused: the handshake did not complete (`tls` says why: refused by
   * us with our verifier's reasons, the client's alert, not TLS at all);
   * refused-by-verification: our check refused the certificate and the AE closed before any association;
   * accepted / rejected / aborted / timeout / error: the association stage;
   * connection-limit: closed at once, a connection limit was reached (`detail` says which).
   */
  result:
    | "connection-limit"
    | "tls-refused"
    | "refused-by-verification"
    | "accepted"
    | "rejected"
    | "aborted"
    | "timeout"
    | "error";
  /** A-ASSOCIATE-RJ as PS3.8 names it. */
  reject?: { result: string; source: string; reason: string };
  /**
   * DIMSE operations: command and status, e.g. { command: "C-ECHO", status:
   * "0x0000" }, the file a C-STORE wrote, why a request failed; the first
   * {@linkcode MAX_LOGGED_DIMSE} of an association.
   */
  dimse: { command: string; status: string; file?: string; detail?: string }[];
  /** DIMSE operations past the first {@linkcode MAX_LOGGED_DIMSE}: counted, not listed. */
  dimseNotListed?: number;
  /** Whether the association ended with an A-RELEASE. */
  released?: boolean;
  /** What went wrong, in words: the TLS error, the verifier's details, the protocol error. */
  detail?: string;
  /** Milliseconds from accepting the connection to closing it. */
  durationMs: number;
}

/** DIMSE operations listed in one log line; the rest are counted (`dimseNotListed`). */
export const MAX_LOGGED_DIMSE = 1000;

/**
 * The log line of an {@linkcode AssociationLog}: compact JSON on one line.
 *
 * @example
 * ```ts
 * import { type AssociationLog, formatAssociationLog } from "./association_log.ts";
 * declare const entry: AssociationLog;
 * console.log(formatAssociationLog(entry)); // {"time":"...","peer":"127.0.0.1:53122",...}
 * ```
 */
export function formatAssociationLog(entry: AssociationLog): string {
  return toJson(entry);
}
