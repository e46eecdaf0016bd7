import type { Part10File } from "../part10/mod.ts";
import type { TlsCredentials, TlsStackNeeds, VerificationPolicy } from "../tls/mod.ts";

/** One DIMSE operation for `runScu`: a C-ECHO, or a C-STORE of a Part 10 file already read. */
export type ScuOperation =
  | { command: "C-ECHO" }
  | { command: "C-STORE"; file: Part10File; name?: string };

/**
 * Options of `runScu`: the peer, our AE, our TLS settings (versions, stack,
 * suites, groups, signature algorithms: OpenSSL is chosen when they need it)
 * and what to do once associated.
 */
export interface ScuOptions extends Omit<TlsStackNeeds, "credentials"> {
  /** The SCP's host name or address. */
  host: string;
  /** The SCP's port. */
  port: number;
  /** Our AE title. */
  callingAe: string;
  /** The SCP's AE title. */
  calledAe: string;
  /** Our client certificate; none when omitted. */
  credentials?: TlsCredentials;
  /** How we verify the SCP's certificate. */
  policy: VerificationPolicy;
  /** Lowest TLS version we offer. */
  /** SNI and the name checked with `checkHostname`; default `host`. */
  servername?: string;
  /** Deadline for the whole conversation, from TCP connect to release. */
  timeoutMs: number;
  /** What to do once associated; default one C-ECHO. */
  operations?: ScuOperation[];
  /** Maximum PDU length we announce; default the upper layer's. */
  maxPduLength?: number;
  /** Verification time; default now. */
  at?: Date;
  /** Plain DICOM: the same association without TLS (`tls: off`). */
  plain?: boolean;
  /** false: no wire observation; only for measuring what it costs. */
  observe?: boolean;
}
