import type { ProtocolVersionName } from "../outcome/wire.ts";

/** "shall" (a violation makes the peer non-compliant) or "should" (a warning). */
export type RequirementLevel = "shall" | "should";

/**
 * A set of cipher suites by their algorithms, in the words of the suite
 * table (`CipherSuite` of src/tls/wire): a suite is in the set when it
 * matches every field given, a field matching when the suite's value is
 * one of its values.
 */
export interface SuiteFilter {
  /** Key exchange, e.g. ["ECDH", "DH"] (ephemeral), ["RSA"] (key transport), "any" is TLS 1.3. */
  kx?: string[];
  /** Authentication, e.g. ["RSA", "ECDSA"]; "None" is anonymous. */
  au?: string[];
  /** Bulk cipher, e.g. ["AESGCM", "ChaCha20"]; "None" is NULL encryption. */
  enc?: string[];
  /** MAC, e.g. ["AEAD"]. */
  mac?: string[];
  /** Export-grade suites (40- and 56-bit). */
  export?: boolean;
  /** Bulk cipher key bits below this (3DES counts 112, its effective strength). */
  bitsBelow?: number;
  /** By IANA name. */
  names?: string[];
}

/** What a requirement checks; the evaluator has one check per kind. */
export type Rule =
  /** Each of these versions is refused (a client: not offered). */
  | { kind: "version-forbidden"; versions: ProtocolVersionName[] }
  /** Each of these versions is accepted (a client: offered). */
  | { kind: "version-required"; versions: ProtocolVersionName[] }
  /** At least one of these versions is accepted. */
  | { kind: "version-any"; versions: ProtocolVersionName[] }
  /**
   * Each of these suites (IANA names) is accepted; with `whenVersion`, only
   * when that version is accepted at all (else not applicable).
   */
  | { kind: "suite-required"; suites: string[]; whenVersion?: ProtocolVersionName }
  /** At least one of these suites is accepted. */
  | { kind: "suite-any"; suites: string[] }
  /** No accepted suite matches `match`; `what` names the property, e.g. "NULL encryption". */
  | { kind: "suite-forbidden"; match: SuiteFilter; what: string }
  /** Every accepted suite is one of `allowed` (any filter); the others are violations. */
  | { kind: "suite-only"; allowed: SuiteFilter[] }
  /** The server chooses TLS 1.3 when offered TLS 1.3 and 1.2. */
  | { kind: "prefers-tls13" }
  /** DHE primes (ServerKeyExchange, TLS 1.3 ffdhe groups) have at least `bits`. */
  | { kind: "dhe-min-bits"; bits: number }
  /** ECDHE groups accepted (TLS <= 1.2 and TLS 1.3) have at least `bits`. */
  | { kind: "ecdhe-min-bits"; bits: number }
  /** Keys of the certificates the server sent: RSA and EC at least these sizes. */
  | { kind: "certificate-key-min"; rsaBits: number; ecBits: number }
  /** No certificate the server sent (but a self-signed root) is signed with these hashes. */
  | { kind: "certificate-hash-forbidden"; hashes: string[] };

/** One requirement of a profile, with where the standard states it. */
export interface Requirement {
  /** Stable within its profile, e.g. "no-tls10-tls11" (JUnit test case names use it). */
  id: string;
  /** What the standard requires, briefly, e.g. "shall not negotiate TLS 1.1 or TLS 1.0". */
  text: string;
  /** "shall" or "should". */
  level: RequirementLevel;
  /** Where it is stated, e.g. "PS3.15 B.10" or "PS3.15 B.9, RFC 7525 4.1". */
  cite: string;
  /** What is checked. */
  rule: Rule;
}

/** A secure transport profile as data: its source and requirements. */
export interface Profile {
  /** The name scenarios and `--profile` use, e.g. "bcp195-nd". */
  name: string;
  /** Other accepted names, e.g. ["B.10", "non-downgrading"]; matched case-insensitively. */
  aliases: string[];
  /** The standard's title, e.g. "Non-Downgrading BCP 195 TLS Secure Transport Connection Profile". */
  title: string;
  /** Where it is defined, e.g. "PS3.15 B.10" or "IHE ITI TF-2 3.19.6.2.3". */
  section: string;
  /** Retired profiles are still deployed and still checked. */
  status: "current" | "retired";
  /** Anything a reader must know about how it is evaluated. */
  note?: string;
  /** Every requirement of the profile. */
  requirements: Requirement[];
}

/** How one requirement came out. */
export type RequirementStatus = "pass" | "fail" | "unknown" | "not-applicable";

/** One requirement, checked: status and what was found. */
export interface RequirementResult {
  /** The requirement, e.g. "no-tls10". */
  id: string;
  /** The requirement in words. */
  text: string;
  /** "shall" or "should". */
  level: RequirementLevel;
  /** Where it is written, e.g. "PS3.15 B.10". */
  cite: string;
  /** met, violated or unknown. */
  status: RequirementStatus;
  /**
   * Violations when it failed (e.g. "accepts TLS 1.0 (forbidden by PS3.15
   * B.10)"), what could not be known when unknown, why not applicable.
   */
  findings: string[];
  /**
   * The association evidence for the versions a version requirement names,
   * e.g. "TLS 1.0: echoed (TLSv1 TLS_RSA_WITH_AES_128_CBC_SHA, A-ASSOCIATE-AC, C-ECHO Success)".
   */
  evidence?: string[];
}

/** A profile's verdict on one peer: plain, JSON-serialisable data. */
export interface ProfileVerdict {
  /** The profile's name, e.g. "bcp195-nd". */
  profile: string;
  /** The profile name in words. */
  title: string;
  /** The section that defines it. */
  section: string;
  /** Evaluated against a server (probed) or a client (its ClientHello). */
  role: "server" | "client";
  /**
   * "non-compliant" when a "shall" requirement failed; "undetermined" when
   * none failed but one could not be known; else "compliant".
   */
  verdict: "compliant" | "non-compliant" | "undetermined";
  /** Every failed "shall" finding, e.g. "accepts TLS 1.0 (forbidden by PS3.15 B.10)". */
  violations: string[];
  /** Every failed "should" finding. */
  warnings: string[];
  /** Each requirement with its status. */
  requirements: RequirementResult[];
}
