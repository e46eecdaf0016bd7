/**
 * What an inbound conversation adds to the Outcome (the SUT is an SCU that
 * connected to us): how it was made to connect, what it asked for in its
 * A-ASSOCIATE-RQ and DIMSE requests with our answers, and every connection
 * it opened. Plain, JSON-serialisable data; src/inbound fills it.
 */
import type { TlsAlert } from "./outcome.ts";

/** What made the SUT connect (a command, an HTTP request, an operator), and how that went. */
export interface TriggerEvidence {
  /** How the SUT was made to connect. */
  kind: "command" | "http" | "manual";
  /** What was run or asked, e.g. "echoscu +tls ... 127.0.0.1 40123" or "POST http://127.0.0.1:8042/modalities/harness/echo". */
  description: string;
  /** command: its exit code, once it exited by itself. */
  exitCode?: number;
  /** http: the response status, e.g. 200. */
  httpStatus?: number;
  /** The end of what it printed (command) or answered (HTTP body), at most 2,000 characters. */
  output?: string;
  /** Why it could not run or answer, e.g. "cannot start echoscu: program not found". */
  error?: string;
  /** Still running when the case ended: stopped by us. */
  stopped?: boolean;
  /** Milliseconds from its start to its end (or to our stop). */
  durationMs: number;
}

/** The User Identity sub-item of an A-ASSOCIATE-RQ (PS3.7 D.3.3.7), without its secrets. */
export interface UserIdentityInfo {
  /** 1 username, 2 username and passcode, 3 Kerberos, 4 SAML, 5 JWT. */
  type: number;
  /** "username", "username-and-passcode", "kerberos", "saml", "jwt", or "unknown-N". */
  typeName: string;
  /** The requester asked for a positive response. */
  positiveResponseRequested: boolean;
  /** Types 1 and 2: the user name, made printable. Tokens (3-5) are not kept. */
  username?: string;
  /** Length in bytes of the primary field (the user name or the token). */
  primaryFieldLength: number;
  /** Type 2: a passcode was sent (its value is never kept). */
  passcode?: boolean;
}

/** The A-ASSOCIATE-RQ the SUT sent (PS3.8 9.3.2), decoded, with our answer per context. */
export interface AssociationRequestInfo {
  /** The calling AE title: the SUT's own, as it sent it (trailing spaces trimmed). */
  callingAe: string;
  /** The called AE title: ours, as the SUT addressed us. */
  calledAe: string;
  /** The application context name (1.2.840.10008.3.1.1.1 for DICOM). */
  applicationContext: string;
  /** The proposed presentation contexts and our answer to each. */
  presentationContexts: {
    /** Presentation context ID. */
    id: number;
    /** The abstract syntax (SOP Class UID) proposed. */
    abstractSyntax: string;
    /** The transfer syntaxes proposed, in the SUT's order. */
    transferSyntaxes: string[];
    /** Our answer: "acceptance", "abstract-syntax-not-supported", ... (absent when we rejected the association). */
    result?: string;
    /** The transfer syntax we chose, when accepted. */
    transferSyntax?: string;
  }[];
  /** The maximum PDU length the SUT can receive (0: unlimited). */
  maxPduLength?: number;
  /** The SUT's Implementation Class UID. */
  implementationClassUid?: string;
  /** The SUT's Implementation Version Name. */
  implementationVersionName?: string;
  /** User Identity Negotiation, when the SUT sent it. */
  userIdentity?: UserIdentityInfo;
  /** SCP/SCU Role Selection sub-items. */
  roleSelections?: { sopClassUid: string; scuRole: number; scpRole: number }[];
  /** The Asynchronous Operations Window, when proposed. */
  asynchronousOperationsWindow?: { maxOperationsInvoked: number; maxOperationsPerformed: number };
}

/** One DIMSE request the SUT made, and what we answered. */
export interface DimseRequestInfo {
  /** The request by its PS3.7 name without -RQ, e.g. "C-ECHO", "C-STORE", "C-FIND". */
  command: string;
  /** Its Message ID (0000,0110). */
  messageId?: number;
  /** Its Affected SOP Class UID. */
  sopClassUid?: string;
  /** Its Affected SOP Instance UID (C-STORE). */
  sopInstanceUid?: string;
  /** Bytes of the data set that came with it. */
  datasetBytes?: number;
  /** Our answer: the response status (e.g. 0), or `aborted` when we support no such request. */
  answer: { status?: number; statusName?: string; aborted?: boolean };
  /** Milliseconds since the connection began. */
  atMs: number;
}

/** One connection the SUT opened during a case, briefly (the first is the one recorded in full). */
export interface InboundConnection {
  /** The SUT's address, e.g. "127.0.0.1:53122". */
  peer: string;
  /** Milliseconds from the case's start to the connection. */
  atMs: number;
  /** The TLS stage: established, refused-by-peer, refused-by-us, not-tls, timeout, error. */
  tls: string;
  /** The versions its ClientHello offered. */
  offeredVersions?: string[];
  /** Its hello had no supported_versions: older versions than `offeredVersions` it may take, or not. */
  olderVersionsUnknown?: boolean;
  /** The alert it sent, when it refused. */
  alert?: TlsAlert;
  /** Whether it sent an A-ASSOCIATE-RQ on this connection. */
  associationRequested: boolean;
}
