import type { VerificationReason } from "./reasons.ts";

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
  subject: string;
  issuer: string;
  /** Serial number, uppercase hex. */
  serial: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** e.g. "EC P-256", "RSA 2048". */
  key: string;
  /** e.g. "ecdsa-with-SHA256", "sha256WithRSAEncryption". */
  signatureAlgorithm: string;
  /** Subject alternative names, e.g. ["DNS:localhost", "IP:127.0.0.1"]. */
  san: string[];
  sha1: string;
  sha256: string;
}

/** Our verifier's verdict on the peer certificate. */
export interface Verification {
  method: "none" | "chain" | "thumbprint";
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
  name: string;
  code: number;
}

/** The TCP stage. */
export interface TcpOutcome {
  status: "connected" | "refused" | "timeout" | "error";
  /** Local error text when not connected. */
  error?: string;
}

/** The TLS stage. */
export interface TlsOutcome {
  /**
   * established: handshake done and (if we verify) the peer accepted by us;
   * refused-by-peer: an alert or a close from the peer (with TLS 1.3 this can
   * come after our side of the handshake completed, on the first read);
   * refused-by-us: our verification refused the peer; timeout; error.
   */
  status: "established" | "refused-by-peer" | "refused-by-us" | "timeout" | "error";
  /** "TLSv1.2", "TLSv1.3", ... */
  protocol?: string;
  /** IANA/OpenSSL cipher name, e.g. "TLS_AES_256_GCM_SHA384". */
  cipher?: string;
  /** The peer's leaf certificate and the chain it sent, leaf first. */
  peer?: CertificateInfo & { chain: CertificateInfo[] };
  verification?: Verification;
  /** The alert the peer sent, when one came. */
  alert?: TlsAlert;
  /** The peer closed the connection during or right after the handshake without an alert. */
  closedWithoutAlert?: boolean;
  /** Whether we presented a client certificate. */
  clientCertificate?: boolean;
  /**
   * A TLS 1.0/1.1 handshake probe (node-forge, RSA CBC suites): no association
   * follows, and our verifier is not applied to the peer certificate.
   */
  legacyProbe?: boolean;
  error?: string;
}

/** The association stage (PS3.8 A-ASSOCIATE, A-RELEASE, A-ABORT). */
export interface AssociationOutcome {
  result: "accepted" | "rejected" | "aborted" | "not-requested" | "timeout" | "error";
  callingAe?: string;
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
  };
  /** Accepted or refused presentation contexts (A-ASSOCIATE-AC). */
  presentationContexts?: {
    id: number;
    abstractSyntax: string;
    transferSyntax?: string;
    /** "acceptance", "user-rejection", "no-reason", "abstract-syntax-not-supported", "transfer-syntaxes-not-supported". */
    result: string;
  }[];
  peerMaxPduLength?: number;
  peerImplementationClassUid?: string;
  peerImplementationVersionName?: string;
  /** Whether A-RELEASE completed after the DIMSE work. */
  released?: boolean;
  error?: string;
}

/** One DIMSE operation and its status (PS3.7 Annex C). */
export interface DimseOperation {
  command: "C-ECHO" | "C-STORE";
  /** Status code, e.g. 0x0000. */
  status?: number;
  /** e.g. "Success", "Refused: Out of Resources". */
  statusName?: string;
  /** success | warning | failure | pending, per PS3.7 C.1; timeout/aborted when no response came. */
  category: "success" | "warning" | "failure" | "timeout" | "aborted";
  sopInstanceUid?: string;
  durationMs: number;
}

/** The DIMSE stage. */
export interface DimseOutcome {
  /** The category of the last operation (all must succeed for `success`). */
  status: DimseOperation["category"];
  operations: DimseOperation[];
}

/** One PDU on the wire, for the report's exchange view. */
export interface PduTrace {
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
  stage: Stage;
  startMs: number;
  durationMs: number;
}

/**
 * Everything that happened in one secure conversation with a peer, stage by
 * stage: plain, JSON-serialisable data that expectations match against and
 * reports show. (DESIGN.md section 4.)
 *
 * @example
 * ```ts
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
  target: { host: string; port: number };
  startedAt: string;
  durationMs: number;
  timeline: StageTiming[];
  tcp: TcpOutcome;
  tls?: TlsOutcome;
  association?: AssociationOutcome;
  dimse?: DimseOutcome;
  pdus: PduTrace[];
  /** A harness problem (our bug, unreadable local file), as opposed to a peer's refusal. */
  error?: string;
}
