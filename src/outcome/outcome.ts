import type {
  AssociationRequestInfo,
  DimseRequestInfo,
  InboundConnection,
  TriggerEvidence,
} from "./inbound.ts";
import type { VerificationReason } from "./reasons.ts";
import type { ClientHelloInfo, FirstBytes, WireObservation } from "./wire.ts";

/**
 * The stages of one secure DICOM conversation, in order. `Outcome.stage` is
 * the last one reached.
 */
export type Stage = "tcp" | "tls" | "association" | "dimse" | "release";

/**
 * One certificate as we saw it: plain data, safe to put in a report (never a
 * private key). Thumbprints are uppercase hex without separators, as Windows
 * shows them.
 */
export interface CertificateInfo {
  /** Subject distinguished name, e.g. "CN=localhost, O=Example Hospital". */
  subject: string;
  /** Issuer distinguished name. */
  issuer: string;
  /** Serial number, uppercase hex. */
  serial: string;
  /** ISO 8601. */
  notBefore: string;
  /** End of the validity period, ISO 8601. */
  notAfter: string;
  /** e.g. "EC P-256", "RSA 2048". */
  key: string;
  /** e.g. "ecdsa-with-SHA256", "sha256WithRSAEncryption". */
  signatureAlgorithm: string;
  /** Subject alternative names, e.g. ["DNS:localhost", "IP:127.0.0.1"]. */
  san: string[];
  /** SHA-1 thumbprint of the DER certificate. */
  sha1: string;
  /** SHA-256 thumbprint of the DER certificate. */
  sha256: string;
}

/** Our verifier's verdict on the peer certificate. */
export interface Verification {
  /** The verification method that was applied. */
  method: "none" | "chain" | "thumbprint";
  /** Whether the certificate passed. */
  ok: boolean;
  /** Every reason it failed (empty when ok). */
  reasons: VerificationReason[];
  /** Human detail per reason, e.g. "expired: notAfter 2025-01-01T00:00:00Z is before ...". */
  details: string[];
  /** Whether host name/IP checking was on. */
  checkedHostname?: boolean;
}

/** A TLS alert, by its RFC 8446/5246 name and code, e.g. certificate_expired (45). */
export interface TlsAlert {
  /** The alert's name, e.g. "certificate_expired". */
  name: string;
  /** The alert's code, e.g. 45. */
  code: number;
}

/** The TCP stage. */
export interface TcpOutcome {
  /** Whether TCP connected, and if not, why. */
  status: "connected" | "refused" | "timeout" | "error";
  /** Local error text when not connected. */
  error?: string;
}

/** How far a TLS handshake got when the peer refused it. */
export type RefusalPoint =
  /** The peer answered our ClientHello with an alert or a close (no ServerHello). */
  | "client-hello"
  /** After the ServerHello (and, before TLS 1.3, the server's certificate), before ours. */
  | "server-hello"
  /** TLS 1.2 and below: after we sent our certificate. */
  | "our-certificate"
  /** After our side of the handshake completed: a TLS 1.3 refusal of our certificate. */
  | "handshake-complete";

/** The TLS stage. */
export interface TlsOutcome {
  /**
   * established: handshake done and (if we verify) the peer accepted by us;
   * refused-by-peer: the peer spoke TLS (sent at least one TLS record) and
   * then refused with an alert or a close; refused-by-us: our verification
   * refused the peer; not-tls: the peer never sent a TLS record (nothing at
   * all, or bytes that are not TLS: see `peerSent`, `firstBytes`);
   * timeout; error: our own side could not go on (`alertSent` says when our
   * TLS stack refused the peer's answer).
   */
  status: "established" | "refused-by-peer" | "refused-by-us" | "not-tls" | "timeout" | "error";
  /** The TLS stack that spoke for us: rustls (Deno's) or OpenSSL. */
  stack?: "rustls" | "openssl";
  /** Why OpenSSL was chosen without being asked, e.g. "rustls does not speak TLSv1". */
  stackReason?: string;
  /** "TLSv1.2", "TLSv1.3", ... */
  protocol?: string;
  /** IANA/OpenSSL cipher name, e.g. "TLS_AES_256_GCM_SHA384". */
  cipher?: string;
  /** The key exchange's group, e.g. "x25519", "secp256r1", "DH" (a server's DHE parameters). */
  group?: string;
  /** The key exchange's key size in bits (the DH prime, the curve). */
  keyBits?: number;
  /** The peer's leaf certificate and the chain it sent, leaf first. */
  peer?: CertificateInfo & { chain: CertificateInfo[] };
  /** Our verifier's verdict on the peer's certificate (inbound: on the SUT's client certificate). */
  verification?: Verification;
  /** The alert the peer sent, when one came. */
  alert?: TlsAlert;
  /** The alert our TLS stack sent, when it refused the peer's answer. */
  alertSent?: TlsAlert;
  /** refused-by-peer: how far the handshake got. */
  after?: RefusalPoint;
  /** The peer closed the connection during or right after the handshake without an alert. */
  closedWithoutAlert?: boolean;
  /** not-tls: the peer sent nothing before it closed, or bytes that are not TLS. */
  peerSent?: "nothing" | "non-tls";
  /** not-tls: what the peer's first bytes were (a DICOM PDU, HTTP, ...), decoded. */
  firstBytes?: FirstBytes;
  /** timeout: what we were still waiting for, e.g. "the peer's ServerHello". */
  waitingFor?: string;
  /**
   * Inbound, a handshake that could not complete: what in the client's hello
   * made agreement impossible, e.g. "no common TLS version: the client offered
   * TLSv1.3, TLSv1.2; we accept TLSv1".
   */
  cause?: string;
  /** Whether we presented a client certificate. */
  clientCertificate?: boolean;
  /** What went wrong, in words: the peer's alert text, what its bytes were, our stack's reason. */
  error?: string;
}

/** The association stage (PS3.8 A-ASSOCIATE, A-RELEASE, A-ABORT). */
export interface AssociationOutcome {
  /** What became of the association request (`not-requested` when TLS never let it start). */
  result: "accepted" | "rejected" | "aborted" | "not-requested" | "timeout" | "error";
  /** The calling AE title we sent. */
  callingAe?: string;
  /** The called AE title we sent. */
  calledAe?: string;
  /** A-ASSOCIATE-RJ: PS3.8 Table 9-21 names. */
  reject?: {
    /** "rejected-permanent" | "rejected-transient" (or "reserved-N" for a value PS3.8 reserves). */
    result: string;
    /** "service-user" | "service-provider-acse" | "service-provider-presentation" (or "reserved-N"). */
    source: string;
    /** e.g. "calling-ae-title-not-recognized", "called-ae-title-not-recognized", "local-limit-exceeded". */
    reason: string;
  };
  /** A-ABORT / A-P-ABORT: PS3.8 Table 9-26 names. */
  abort?: {
    /** "service-user" | "service-provider" (or "reserved-N"). */
    source: string;
    /** e.g. "reason-not-specified", "unexpected-pdu", "invalid-pdu-parameter-value". */
    reason: string;
    /**
     * Who sent the A-ABORT: the peer, or we (on a PDU of the peer's that
     * PS3.8 has no place for, or a request we have no handler for). Absent
     * in results of versions before 2026-11-30.
     */
    by?: "peer" | "us";
  };
  /** Accepted or refused presentation contexts (A-ASSOCIATE-AC). */
  presentationContexts?: {
    /** Presentation context ID. */
    id: number;
    /** The abstract syntax (SOP Class UID) proposed. */
    abstractSyntax: string;
    /** The transfer syntax the peer chose, when it accepted. */
    transferSyntax?: string;
    /** "acceptance", "user-rejection", "no-reason", "abstract-syntax-not-supported", "transfer-syntaxes-not-supported". */
    result: string;
  }[];
  /** Maximum PDU length the peer announced (0: unlimited). */
  peerMaxPduLength?: number;
  /** The peer's Implementation Class UID. */
  peerImplementationClassUid?: string;
  /** The peer's Implementation Version Name. */
  peerImplementationVersionName?: string;
  /** Whether A-RELEASE completed after the DIMSE work. */
  released?: boolean;
  /** Local error text, e.g. a malformed PDU from the peer. */
  error?: string;
}

/** One DIMSE operation and its status (PS3.7 Annex C). */
export interface DimseOperation {
  /** The DIMSE command. */
  command: "C-ECHO" | "C-STORE";
  /** Status code, e.g. 0x0000. */
  status?: number;
  /** e.g. "Success", "Refused: Out of Resources". */
  statusName?: string;
  /** success | warning | failure | pending, per PS3.7 C.1; timeout/aborted when no response came. */
  category: "success" | "warning" | "failure" | "timeout" | "aborted";
  /** SOP Instance UID of the data set, for C-STORE. */
  sopInstanceUid?: string;
  /** For C-STORE, the file the data set came from, as the command line or suite named it. */
  file?: string;
  /** Milliseconds from request to response. */
  durationMs: number;
}

/** The DIMSE stage. */
export interface DimseOutcome {
  /** The category of the last operation (all must succeed for `success`). */
  status: DimseOperation["category"];
  /** Every operation, in order (inbound: the requests we answered). */
  operations: DimseOperation[];
  /** Inbound: every request the SUT made, with our answer (past the first 1,000, see `requestsNotListed`). */
  requests?: DimseRequestInfo[];
  /**
   * Inbound: how many requests (and their operations) are not listed: past
   * the first 1,000 only the first that did not succeed and the last are
   * (absent: none).
   */
  requestsNotListed?: number;
}

/** One PDU on the wire, for the report's exchange view. */
export interface PduTrace {
  /** Whether we sent or received it. */
  direction: "sent" | "received";
  /** "A-ASSOCIATE-RQ", "P-DATA-TF", ... */
  type: string;
  /** PDU length including the 6-byte header. */
  length: number;
  /** Milliseconds since the connection began. */
  atMs: number;
  /** Decoded fields worth showing (AE titles, contexts, reasons), plain data. */
  fields: Record<string, unknown>;
}

/** When each stage started and how long it took. */
export interface StageTiming {
  /** The stage. */
  stage: Stage;
  /** Milliseconds since the conversation began. */
  startMs: number;
  /** How long the stage took. */
  durationMs: number;
}

/**
 * Everything that happened in one secure conversation with a peer, stage by
 * stage: plain, JSON-serialisable data that expectations match against and
 * reports show. docs/architecture.md describes how it is built and used.
 *
 * @example
 * ```ts
 * import type { Outcome } from "./outcome.ts";
 * const o: Outcome = {
 *   ok: false, stage: "tls", target: { host: "127.0.0.1", port: 11112 },
 *   startedAt: new Date().toISOString(), durationMs: 12, timeline: [],
 *   tcp: { status: "connected" },
 *   tls: { status: "refused-by-peer", alert: { name: "certificate_expired", code: 45 } },
 *   association: { result: "not-requested" }, pdus: [],
 * };
 * ```
 */
export interface Outcome {
  /** True when every requested step succeeded (e.g. the C-ECHO returned Success). */
  ok: boolean;
  /** The last stage reached. */
  stage: Stage;
  /** The peer we talked to. */
  target: { host: string; port: number };
  /** When the conversation began, ISO 8601. */
  startedAt: string;
  /** Milliseconds from TCP connect to the end. */
  durationMs: number;
  /** When each reached stage started and how long it took. */
  timeline: StageTiming[];
  /** The TCP stage, always present. */
  tcp: TcpOutcome;
  /** The TLS stage, when TCP connected. */
  tls?: TlsOutcome;
  /** The association stage, when TLS got that far. */
  association?: AssociationOutcome;
  /** The DIMSE stage, when an association was established. */
  dimse?: DimseOutcome;
  /**
   * Every PDU sent and received, in order; of a conversation of more than
   * 1,000 PDUs (an SCU's), the first 1,000 and the last 100.
   */
  pdus: PduTrace[];
  /** How many PDUs between those are not listed in `pdus` (absent: none). */
  pdusNotListed?: number;
  /**
   * What was on the wire beneath the TLS stack: records, hellos, plaintext
   * alerts, first bytes, who closed first (see docs/wire.md).
   */
  wire?: WireObservation;
  /**
   * Details dropped after the case ended, to bound a long run's memory (the
   * runner keeps every detail of its first 1,000 cases and first 1,000 that
   * did not pass): how many PDU traces and wire records went; the wire's
   * hellos and certificates went too.
   */
  trimmed?: { pdus: number; records: number };
  /** A harness problem (our bug, unreadable local file), as opposed to a peer's refusal. */
  error?: string;
  /**
   * outbound (or absent): we connected to the SUT; inbound: the SUT, an SCU,
   * connected to us, and `target` is where we listened (docs/inbound.md).
   */
  direction?: "outbound" | "inbound";
  /** Inbound: the SUT's address, e.g. "127.0.0.1:53122". */
  peerAddress?: string;
  /** Inbound: what made the SUT connect, and how that went. */
  trigger?: TriggerEvidence;
  /** Inbound: the SUT's ClientHello, decoded (also in `wire.clientHello`). */
  clientHello?: ClientHelloInfo;
  /** Inbound: whether the SUT presented a client certificate; unknown when the handshake ended first. */
  clientCertificate?: "presented" | "none" | "unknown";
  /** Inbound: the SUT's A-ASSOCIATE-RQ, decoded, with our answer per presentation context. */
  associationRequest?: AssociationRequestInfo;
  /** Inbound: every connection the SUT opened during the case, the recorded one first. */
  connections?: InboundConnection[];
}
