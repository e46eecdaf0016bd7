import type { AlertInfo } from "./alert.ts";
import type { ClientHelloInfo } from "./client_hello.ts";
import type { FirstBytes } from "./first_bytes.ts";
import type { ServerHelloInfo } from "./server_hello.ts";
import type { CertificateRequestInfo, ServerKeyExchangeInfo } from "./server_messages.ts";

/** Which way bytes went, seen from our side. */
export type WireDirectionName = "sent" | "received";

/** One TLS record as it passed. */
export interface WireRecord {
  direction: WireDirectionName;
  /** Milliseconds since the observation started. */
  atMs: number;
  /** "handshake", "alert", "change_cipher_spec", "application_data", "heartbeat". */
  contentType: string;
  /** Record-layer version name, e.g. "TLSv1" for most ClientHellos. */
  version: string;
  /** Body length. */
  length: number;
  /**
   * Encrypted: application_data, or anything this side sent after its
   * ChangeCipherSpec in TLS 1.2 and below. Its content is not known: an
   * encrypted TLS 1.3 record may be data, a handshake message or an alert.
   */
  encrypted: boolean;
  /** Plaintext handshake messages completed in this record, e.g. ["server_hello", "certificate"]. */
  handshake?: string[];
  /** Plaintext alerts in this record. */
  alerts?: AlertInfo[];
}

/** One direction of the conversation. */
export interface WireDirection {
  /** Bytes that passed. */
  bytes: number;
  /** The first bytes (at most 32) in lowercase hex; "" when none. */
  firstBytes: string;
  /** When the first byte passed (ms since start). */
  firstAtMs?: number;
  /** Whole TLS records that passed. */
  records: number;
  /** Set when the bytes stopped (or never started) being TLS records: why. */
  notTls?: string;
  /** This side sent ChangeCipherSpec. */
  changeCipherSpec: boolean;
  /** Records whose content cannot be read (see {@linkcode WireRecord.encrypted}). */
  encryptedRecords: number;
  /** TLS 1.2 and below: alert records after ChangeCipherSpec (an alert was sent; which one is encrypted). */
  encryptedAlerts: number;
  /** The stream ended inside a record. */
  endedMidRecord?: boolean;
}

/** A plaintext alert with its direction and time. */
export interface WireAlert extends AlertInfo {
  direction: WireDirectionName;
  atMs: number;
}

/** How the connection ended and who ended it first. */
export interface WireClose {
  /** Who ended first: the peer (FIN, reset, error) or us (end, destroy); absent while open. */
  first?: "peer" | "us";
  /** The peer's end: "fin" (orderly), "reset" (ECONNRESET), "error" (another socket error). */
  peer?: { how: "fin" | "reset" | "error"; atMs: number; error?: string };
  /** Our end: "end" (orderly FIN) or "destroy" (abrupt). */
  us?: { how: "end" | "destroy"; atMs: number };
  /** When the socket closed entirely. */
  closedAtMs?: number;
}

/**
 * What was seen on the wire of one conversation, beneath the TLS stack:
 * plain JSON-serialisable data with bounded size (at most `maxRecords`
 * records listed, 16 alerts, 8 errors, certificates up to 64 KiB a message).
 */
export interface WireObservation {
  /** Our TLS role; "sent" is what we sent. */
  role: "client" | "server";
  /** Milliseconds from the start to this snapshot (or to the close). */
  durationMs: number;
  sent: WireDirection;
  received: WireDirection;
  /** The peer sent at least one whole, valid TLS record. */
  peerSpokeTls: boolean;
  /** The peer's first bytes classified (TLS, DICOM PDU, HTTP, ...), once any came. */
  peerFirstBytes?: FirstBytes;
  /** The (first) ClientHello, whichever side sent it. */
  clientHello?: ClientHelloInfo;
  /** How many ClientHellos passed (2 after a HelloRetryRequest). */
  clientHellos: number;
  serverHello?: ServerHelloInfo;
  helloRetryRequest?: ServerHelloInfo;
  /** TLS 1.2 and below: the server's certificates from its plaintext Certificate message, base64 DER, leaf first. */
  serverCertificates?: string[];
  /** TLS 1.2 and below: the client's certificates (empty when it sent an empty Certificate). */
  clientCertificates?: string[];
  /** TLS 1.2 and below: the server's key exchange parameters (DH prime size, ECDHE curve). */
  serverKeyExchange?: ServerKeyExchangeInfo;
  /** TLS 1.2 and below: the server asked for a client certificate. */
  certificateRequest?: CertificateRequestInfo;
  /**
   * TLS 1.3 was chosen: everything after the ServerHello is encrypted,
   * including the CertificateRequest and any alert (a refusal of our
   * certificate is only known from the TLS stack's error, not from the wire).
   */
  tls13Encrypted: boolean;
  /** Plaintext alerts, both directions, in order. */
  alerts: WireAlert[];
  /** The first `maxRecords` records, both directions, in order. */
  records: WireRecord[];
  /** Records that passed but are not listed. */
  recordsOmitted: number;
  close: WireClose;
  /** Decoding problems (a malformed hello, an oversized handshake message). */
  errors: string[];
}
