import type { CertificateInfo } from "../outcome/mod.ts";
import type { ProtocolVersionName } from "../outcome/wire.ts";

export type { CertificateInfo, ProtocolVersionName };

/**
 * The versions a probe asks for, oldest first.
 *
 * @example
 * ```ts
 * import { PROBED_VERSIONS } from "./report.ts";
 * PROBED_VERSIONS.at(-1); // "TLSv1.3"
 * ```
 */
export const PROBED_VERSIONS: readonly ProtocolVersionName[] = [
  "SSLv3",
  "TLSv1",
  "TLSv1.1",
  "TLSv1.2",
  "TLSv1.3",
];

/** Accepted, refused, or not known (the target gave no answer, even after retries). */
export type Acceptance = "accepted" | "refused" | "unknown";

/** A cipher suite the server chose when it was the only one offered. */
export interface AcceptedSuite {
  /** IANA code, e.g. 0xC02F. */
  code: number;
  /** IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256". */
  name: string;
  /** OpenSSL name, when OpenSSL has one, e.g. "ECDHE-RSA-AES128-GCM-SHA256". */
  openssl?: string;
  /**
   * The key exchange the server used, as testssl.sh prints it: "ECDH 256"
   * style, spelled "ECDH x25519", "DH 2048", "RSA" (static), "TLS 1.3
   * x25519". Absent when the answer did not show it.
   */
  keyExchange?: string;
  /** DHE: bits of the server's prime (ServerKeyExchange). */
  dhBits?: number;
  /** ECDHE (TLS <= 1.2) or TLS 1.3: the group the server used. */
  group?: string;
}

/** Something probed whose answer could not be had. */
export interface UnknownProbe {
  /** What was asked, e.g. "TLS_AES_128_CCM_SHA256" or "secp521r1". */
  name: string;
  /** Why, e.g. "no answer within 5000 ms (4 tries)". */
  why: string;
}

/** Whose order decides the cipher suite. */
export interface SuitePreference {
  /**
   * "server": the same suite whatever the client's order; "client": the
   * client's first suite wins; "mixed": neither (e.g. a server that raises
   * some suites only when the client prefers them); "unknown".
   */
  order: "server" | "client" | "mixed" | "unknown";
  /** With "server": the server's order of its accepted suites, most preferred first (IANA names). */
  serverOrder?: string[];
}

/** One protocol version: accepted or not, and the suites accepted in it. */
export interface VersionProbe {
  /** The protocol version asked. */
  version: ProtocolVersionName;
  /** Whether it was accepted. */
  status: Acceptance;
  /** The server's answer to the version probe, e.g. "ServerHello TLSv1.2", "alert protocol_version". */
  answer: string;
  /** Suites accepted when offered alone, by IANA code. */
  suites: AcceptedSuite[];
  /** Suites offered one per hello (0 when the version was not accepted). */
  suitesProbed: number;
  /** Suites whose hello found no answer. */
  suitesUnknown: UnknownProbe[];
  /** Whose order decides, when two or more suites are accepted. */
  preference?: SuitePreference;
}

/** Named things (groups, signature schemes) probed one per hello in a version. */
export interface NamedProbe {
  /** The protocol version. */
  version: ProtocolVersionName;
  /** Accepted, by IANA name, in code order. */
  accepted: string[];
  /** How many were offered, one per hello. */
  probed: number;
  /** Probes that got no answer after their retries. */
  unknown: UnknownProbe[];
}

/** One real DICOM conversation over an accepted version (see `gatherEvidence`). */
export interface AssociationEvidence {
  /** The protocol version. */
  version: ProtocolVersionName;
  /**
   * "echoed": TLS, A-ASSOCIATE-AC and a successful C-ECHO over exactly this
   * version; "refused": the target refused the TLS handshake (or our
   * certificate); "failed": TLS worked but the association or C-ECHO did
   * not, or the conversation could not be made; "not-tried": see `detail`.
   */
  result: "echoed" | "refused" | "failed" | "not-tried";
  /** What happened, e.g. "TLSv1 TLS_RSA_WITH_AES_128_CBC_SHA, A-ASSOCIATE-AC, C-ECHO Success". */
  detail: string;
  /** The version and suite OpenSSL negotiated, when the handshake completed. */
  protocol?: string;
  /** The suite negotiated, when one was. */
  cipher?: string;
  /** Milliseconds the probe took. */
  durationMs: number;
}

/**
 * Everything a probe found about one TLS server: plain, JSON-serialisable
 * data (`schemas/probe.schema.json`).
 */
export interface ProbeReport {
  /** Where the target listens. */
  target: { host: string; port: number };
  /** When the probe started, ISO 8601. */
  startedAt: string;
  /** Milliseconds the whole probe took. */
  durationMs: number;
  /** False when the target gave no TLS answer at all (`error` says what it did). */
  reached: boolean;
  /** Why the probe could not run, e.g. "TCP: connect ECONNREFUSED", "not TLS: a DICOM A-ASSOCIATE-RJ". */
  error?: string;
  /**
   * Set when the target's answer to the control hello changed during the
   * probe (it first chose a version and suite, later it alerted, closed or
   * chose another): its refusals may be that change (a rate limit, a
   * restart with another configuration) rather than its configuration, so
   * no verdict rests on this report. Says what changed and when.
   */
  changed?: string;
  /** SSLv3 to TLS 1.3, oldest first. */
  versions: VersionProbe[];
  /**
   * Whether the server chose TLS 1.3 when offered TLS 1.3 and 1.2 (in both
   * orders). Absent unless both versions are accepted.
   */
  prefersTls13?: boolean;
  /** Groups accepted: per version where key exchange uses them (TLS 1.3; TLS 1.2 ECDHE). */
  groups: NamedProbe[];
  /** Signature schemes the server signs with, TLS 1.2 (ServerKeyExchange); TLS 1.3 is not determinable (a note says so). */
  signatureAlgorithms: NamedProbe[];
  /** The server's chain as sent in a TLS <= 1.2 Certificate message, leaf first. */
  certificates?: CertificateInfo[];
  /** Whether the server asked for a client certificate (TLS <= 1.2 CertificateRequest); absent when not seen. */
  certificateRequested?: boolean;
  /**
   * Evidence that counts: a real association and C-ECHO over each accepted
   * version (absent when not gathered).
   */
  evidence?: AssociationEvidence[];
  /** Hellos sent and how the target held up. */
  hellos: { sent: number; retries: number; concurrency: number; lowestConcurrency: number };
  /** Things a reader should know, e.g. "the target stopped answering after ...". */
  notes: string[];
}
