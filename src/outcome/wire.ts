/**
 * What the wire observation of a TLS conversation records: plain,
 * JSON-serialisable data that src/tls/wire fills and the Outcome carries
 * (see docs/wire.md). The decoders live in src/tls/wire; these are their
 * results.
 */
import type { TlsAlert } from "./outcome.ts";

/** A code point and its name, e.g. `{ code: 0x001d, name: "x25519" }`. */
export interface CodeName {
  /** The code point. */
  code: number;
  /** The registry's name; `unknown_0xNNNN` for a code no table knows, `GREASE` for RFC 8701 values. */
  name: string;
  /** Set on RFC 8701 GREASE values (0x0A0A, 0x1A1A, ... 0xFAFA). */
  grease?: true;
}

/** An extension as listed in a hello: its type and the length of its data. */
export interface ExtensionRef extends CodeName {
  /** Length of the extension data in bytes. */
  length: number;
}

/** A plaintext alert as it was on the wire (RFC 8446 6, RFC 5246 7.2). */
export interface AlertInfo {
  /** "warning" (1), "fatal" (2), or `unknown_N`. */
  level: string;
  /** The description by RFC name and code, e.g. { name: "unknown_ca", code: 48 }. */
  description: TlsAlert;
}

/** A protocol version name as `node:tls` prints it (`getProtocol()`). */
export type ProtocolVersionName = "SSLv3" | "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

/** A ClientHello, decoded (RFC 8446 4.1.2, RFC 5246 7.4.1.2): plain data. */
export interface ClientHelloInfo {
  /** legacy_version: the highest version a pre-TLS 1.3 client offers; 0x0303 in TLS 1.3 hellos. */
  legacyVersion: CodeName;
  /** The supported_versions extension as sent (GREASE marked); absent when not sent. */
  supportedVersions?: CodeName[];
  /**
   * The versions offered, by name: supported_versions without GREASE, or,
   * without that extension, legacy_version alone (its newest version; see
   * `olderVersionsUnknown`).
   */
  offeredVersions: string[];
  /**
   * True when the hello has no supported_versions and a version older than
   * its legacy_version exists: whether it would take one is not known.
   */
  olderVersionsUnknown?: boolean;
  /** Length of legacy_session_id (32 for TLS 1.3 middlebox compatibility or a TLS 1.2 resumption). */
  sessionIdLength: number;
  /** Offered suites in the client's order, GREASE marked. */
  cipherSuites: CodeName[];
  /** Compression methods (0 = null). */
  compressionMethods: number[];
  /** Every extension in order, with its data length. */
  extensions: ExtensionRef[];
  /** server_name (SNI) host name, made printable. */
  serverName?: string;
  /** ALPN protocol names, made printable. */
  alpn?: string[];
  /** supported_groups: the groups offered, in order. */
  supportedGroups?: CodeName[];
  /** signature_algorithms: the schemes offered, in order. */
  signatureAlgorithms?: CodeName[];
  /** signature_algorithms_cert, when sent. */
  signatureAlgorithmsCert?: CodeName[];
  /** The groups the client sent key shares for (TLS 1.3). */
  keyShares?: CodeName[];
  /** ec_point_formats, when sent (TLS 1.2 and below). */
  ecPointFormats?: number[];
  /** session_ticket: "empty" (tickets welcome) or "ticket" (resuming with one). */
  sessionTicket?: "empty" | "ticket";
  /** pre_shared_key: how many identities (a TLS 1.3 resumption attempt). */
  pskIdentities?: number;
  /** psk_key_exchange_modes: "psk_ke", "psk_dhe_ke". */
  pskModes?: string[];
  /** The extended_master_secret extension was present (RFC 7627). */
  extendedMasterSecret: boolean;
  /** renegotiation_info extension or TLS_EMPTY_RENEGOTIATION_INFO_SCSV. */
  secureRenegotiation: boolean;
  /** The encrypt_then_mac extension was present (RFC 7366). */
  encryptThenMac: boolean;
  /** The early_data extension was present (TLS 1.3 0-RTT). */
  earlyData: boolean;
  /** The status_request extension (OCSP stapling) was present. */
  statusRequest: boolean;
  /** TLS_FALLBACK_SCSV among the suites (RFC 7507): a retry after a failed higher version. */
  fallbackScsv: boolean;
}

/** A ServerHello or HelloRetryRequest, decoded (RFC 8446 4.1.3, 4.1.4; RFC 5246 7.4.1.3). */
export interface ServerHelloInfo {
  /** A HelloRetryRequest (a ServerHello whose random is the RFC 8446 magic value). */
  helloRetryRequest: boolean;
  /** legacy_version as sent (0x0303 for TLS 1.3). */
  legacyVersion: CodeName;
  /** The version the server chose: supported_versions when present, else legacy_version. */
  version: CodeName;
  /** The suite the server chose, with its OpenSSL name when it has one. */
  cipherSuite: CodeName & { openssl?: string };
  /** The compression method chosen (0: none). */
  compressionMethod: number;
  /** Length of the session id echoed or assigned. */
  sessionIdLength: number;
  /** Every extension, in order. */
  extensions: ExtensionRef[];
  /** key_share: the group of the server's share, or in a HelloRetryRequest the group it asks for. */
  selectedGroup?: CodeName;
  /** The ALPN protocol chosen, made printable. */
  alpn?: string;
  /** The extended_master_secret extension was present (RFC 7627). */
  extendedMasterSecret: boolean;
  /** The renegotiation_info extension was present (RFC 5746). */
  secureRenegotiation: boolean;
  /** The encrypt_then_mac extension was present (RFC 7366). */
  encryptThenMac: boolean;
  /** session_ticket acknowledged: a NewSessionTicket will follow (TLS 1.2 and below). */
  sessionTicket: boolean;
  /** pre_shared_key: the identity accepted (a TLS 1.3 resumption). */
  pskSelected?: number;
  /** A HelloRetryRequest cookie. */
  cookie?: boolean;
  /**
   * RFC 8446 4.1.3: the last 8 bytes of random say the server supports a
   * higher version than it chose: "TLSv1.3" (chose TLS 1.2), "TLSv1.2" (chose 1.1 or below).
   */
  downgradeSentinel?: "TLSv1.3" | "TLSv1.2";
}

/** The key exchange parameters a TLS 1.2 (or earlier) server sent, for key-size checks. */
export type ServerKeyExchangeInfo =
  | {
    kind: "dhe";
    /** Size of the DH prime p in bits (leading zero bits not counted). */
    primeBits: number;
    /** Size of the server's public value Ys in bits. */
    publicBits: number;
    signatureAlgorithm?: CodeName;
  }
  | {
    kind: "ecdhe";
    /** The named curve (curve_type 3); other curve types give `group` undefined. */
    group?: CodeName;
    curveType: number;
    signatureAlgorithm?: CodeName;
  }
  | {
    /** Export RSA: a temporary RSA key (RFC 2246 7.4.3). */
    kind: "rsa";
    modulusBits: number;
    signatureAlgorithm?: CodeName;
  }
  | { kind: "other"; kx: string };

/** What a TLS 1.2 (or earlier) server asks for when it wants a client certificate. */
export interface CertificateRequestInfo {
  /** ClientCertificateType names: "rsa_sign", "dss_sign", "ecdsa_sign", ... */
  certificateTypes: string[];
  /** TLS 1.2 only: the signature algorithms it accepts. */
  signatureAlgorithms?: CodeName[];
  /** How many distinguished names of acceptable CAs it listed. */
  authorities: number;
}

/** What a peer's first bytes look like. */
export type FirstBytesKind = "tls" | "sslv2" | "dicom-pdu" | "http" | "ssh" | "unknown";

/** A DICOM PDU seen where TLS was expected (PS3.8 9.3), decoded as far as the bytes go. */
export interface FirstPdu {
  /** "A-ASSOCIATE-RQ", "A-ASSOCIATE-RJ", "A-ABORT", ... */
  type: string;
  /** The PDU length field (bytes after the 6-byte header). */
  length: number;
  /** A-ASSOCIATE-RQ/AC: AE titles as sent (Latin-1), spaces trimmed; escape them to print. */
  callingAe?: string;
  /** The called AE title (A-ASSOCIATE-RQ/AC). */
  calledAe?: string;
  /** A-ASSOCIATE-RJ, in PS3.8 Table 9-21 words. */
  reject?: { result: string; source: string; reason: string };
  /** A-ABORT, in PS3.8 Table 9-26 words. */
  abort?: { source: string; reason: string };
}

/** What a peer's first bytes were: the kind, the bytes in hex, and what was decoded of them. */
export interface FirstBytes {
  /** What the bytes look like. */
  kind: FirstBytesKind;
  /** The first bytes (at most {@linkcode FIRST_BYTES_HEX}) in lowercase hex. */
  hex: string;
  /** One line for a report, e.g. "a DICOM A-ABORT (service-provider, unexpected-pdu)". */
  description: string;
  /** kind "dicom-pdu". */
  pdu?: FirstPdu;
  /** kind "http": the start line (request or status), made printable, at most 80 characters. */
  startLine?: string;
  /** kind "ssh": the identification line, made printable. */
  banner?: string;
}

/** Which way bytes went, seen from our side. */
export type WireDirectionName = "sent" | "received";

/** One TLS record as it passed. */
export interface WireRecord {
  /** Which way it went. */
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
  /** Which way it went. */
  direction: WireDirectionName;
  /** Milliseconds since the observation started. */
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
  /** What we sent. */
  sent: WireDirection;
  /** What the peer sent. */
  received: WireDirection;
  /** The peer sent at least one whole, valid TLS record. */
  peerSpokeTls: boolean;
  /** The peer's first bytes classified (TLS, DICOM PDU, HTTP, ...), once any came. */
  peerFirstBytes?: FirstBytes;
  /** The (first) ClientHello, whichever side sent it. */
  clientHello?: ClientHelloInfo;
  /** How many ClientHellos passed (2 after a HelloRetryRequest). */
  clientHellos: number;
  /** The ServerHello, decoded. */
  serverHello?: ServerHelloInfo;
  /** A HelloRetryRequest (TLS 1.3), decoded. */
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
  /** How the connection ended. */
  close: WireClose;
  /** Decoding problems (a malformed hello, an oversized handshake message). */
  errors: string[];
}

/**
 * The versions a ClientHello offered, as reports show them: a hello without
 * supported_versions names only its newest version, and says so.
 *
 * @example
 * ```ts
 * import { offeredVersionsText } from "./wire.ts";
 * offeredVersionsText({ offeredVersions: ["TLSv1.2"], olderVersionsUnknown: true });
 * // "TLSv1.2 (no supported_versions: older versions not known)"
 * ```
 */
export function offeredVersionsText(
  hello: Pick<ClientHelloInfo, "offeredVersions" | "olderVersionsUnknown">,
): string {
  const named = hello.offeredVersions.join(", ") || "none";
  return hello.olderVersionsUnknown
    ? `${named} (no supported_versions: older versions not known)`
    : named;
}
