import type {
  AbortReason,
  AbortSource,
  PresentationContextResult,
  RejectReason,
  RejectResult,
  RejectSource,
} from "./reasons.ts";

/** The seven PS3.8 PDU types (Table 9-1 ff.), by their standard names. */
export type PduType =
  | "A-ASSOCIATE-RQ"
  | "A-ASSOCIATE-AC"
  | "A-ASSOCIATE-RJ"
  | "P-DATA-TF"
  | "A-RELEASE-RQ"
  | "A-RELEASE-RP"
  | "A-ABORT";

/** PDU type codes (the first byte of every PDU). */
export const PDU_TYPE_CODES: Readonly<Record<PduType, number>> = {
  "A-ASSOCIATE-RQ": 0x01,
  "A-ASSOCIATE-AC": 0x02,
  "A-ASSOCIATE-RJ": 0x03,
  "P-DATA-TF": 0x04,
  "A-RELEASE-RQ": 0x05,
  "A-RELEASE-RP": 0x06,
  "A-ABORT": 0x07,
};

/** An item or sub-item we do not interpret, kept as it came (type and value bytes). */
export interface RawItem {
  /** The item type byte. */
  itemType: number;
  /** The item's value bytes, after the length field. */
  data: Uint8Array;
}

/** Presentation context item in an A-ASSOCIATE-RQ (PS3.8 9.3.2.2). */
export interface PresentationContextRq {
  /** Odd number 1-255. */
  id: number;
  /** The proposed abstract syntax (SOP Class UID). */
  abstractSyntax: string;
  /** The proposed transfer syntax UIDs, in order of preference. */
  transferSyntaxes: string[];
  /**
   * The item's three reserved bytes, only when not all zero (DCMTK sends
   * 0xFF in the second): kept so that re-encoding is byte-exact.
   */
  reserved?: number[];
}

/** Presentation context item in an A-ASSOCIATE-AC (PS3.8 9.3.3.2). */
export interface PresentationContextAc {
  /** The presentation context ID of the proposal it answers. */
  id: number;
  /** Acceptance, or why the context was refused (PS3.8 Table 9-18). */
  result: PresentationContextResult;
  /** Significant only when accepted; undefined when the peer left the sub-item out. */
  transferSyntax?: string;
}

/** SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4). */
export interface RoleSelection {
  /** The SOP Class the roles are for. */
  sopClassUid: string;
  /** 1 when the SCU role is proposed or accepted, else 0. */
  scuRole: number;
  /** 1 when the SCP role is proposed or accepted, else 0. */
  scpRole: number;
}

/** User Identity Negotiation sub-item of an A-ASSOCIATE-RQ (PS3.7 D.3.3.7.1). */
export interface UserIdentityRq {
  /** 1 username, 2 username and passcode, 3 Kerberos, 4 SAML, 5 JWT. */
  identityType: number;
  /** Whether the requester asks for a User Identity server response. */
  positiveResponseRequested: boolean;
  /** The user name, Kerberos ticket, SAML assertion or JWT, as sent. */
  primaryField: Uint8Array;
  /** The passcode for identity type 2; empty otherwise. */
  secondaryField: Uint8Array;
}

/** User Information item (PS3.8 9.3.2.3, PS3.7 Annex D.3.3) of A-ASSOCIATE-RQ and -AC. */
export interface UserInformation {
  /** Maximum length of the P-DATA-TF variable field we can receive; 0 means unlimited. */
  maxPduLength?: number;
  /** The sender's Implementation Class UID (PS3.7 D.3.3.2). */
  implementationClassUid?: string;
  /** The sender's Implementation Version Name, up to 16 characters. */
  implementationVersionName?: string;
  /** The Asynchronous Operations Window sub-item (PS3.7 D.3.3.3). */
  asynchronousOperationsWindow?: { maxOperationsInvoked: number; maxOperationsPerformed: number };
  /** SCP/SCU Role Selection sub-items, one per SOP Class. */
  roleSelections?: RoleSelection[];
  /** A-ASSOCIATE-RQ only. */
  userIdentity?: UserIdentityRq;
  /** A-ASSOCIATE-AC only: the server response of User Identity Negotiation (PS3.7 D.3.3.7.2). */
  userIdentityResponse?: Uint8Array;
  /** Sub-items we do not interpret (e.g. SOP Class Extended Negotiation), kept raw. */
  unknown?: RawItem[];
}

/** Fields shared by A-ASSOCIATE-RQ and -AC. */
export interface AssociateCommon {
  /** Bit 0 set means version 1 (the only one). */
  protocolVersion: number;
  /** Called AE title without its trailing padding (leading spaces are significant). */
  calledAe: string;
  /** Calling AE title without its trailing padding (leading spaces are significant). */
  callingAe: string;
  /** "1.2.840.10008.3.1.1.1", the DICOM application context. */
  applicationContext: string;
  /** The User Information item. */
  userInformation: UserInformation;
  /** Top-level items we do not interpret, kept raw. */
  unknownItems?: RawItem[];
}

/** A-ASSOCIATE-RQ PDU (PS3.8 9.3.2). */
export interface AAssociateRq extends AssociateCommon {
  /** The PDU type. */
  type: "A-ASSOCIATE-RQ";
  /** The proposed presentation contexts. */
  presentationContexts: PresentationContextRq[];
}

/** A-ASSOCIATE-AC PDU (PS3.8 9.3.3). */
export interface AAssociateAc extends AssociateCommon {
  /** The PDU type. */
  type: "A-ASSOCIATE-AC";
  /** The answer to each proposed presentation context. */
  presentationContexts: PresentationContextAc[];
}

/** A-ASSOCIATE-RJ PDU (PS3.8 9.3.4). */
export interface AAssociateRj {
  /** The PDU type. */
  type: "A-ASSOCIATE-RJ";
  /** Permanent or transient rejection (PS3.8 Table 9-21). */
  result: RejectResult;
  /** Who rejected: the service user or a service provider. */
  source: RejectSource;
  /** Why, in the source's vocabulary. */
  reason: RejectReason;
}

/** One presentation data value: a fragment of a DIMSE command or data set (PS3.8 9.3.5.1, E.2). */
export interface Pdv {
  /** The presentation context it travels on. */
  contextId: number;
  /** Whether it carries command set bytes (else data set bytes). */
  isCommand: boolean;
  /** Whether it is the last fragment of the command set or data set. */
  isLast: boolean;
  /** The fragment's bytes. */
  data: Uint8Array;
}

/** P-DATA-TF PDU (PS3.8 9.3.5). */
export interface PDataTf {
  /** The PDU type. */
  type: "P-DATA-TF";
  /** The presentation data values, in order. */
  pdvs: Pdv[];
}

/** A-RELEASE-RQ PDU (PS3.8 9.3.6). */
export interface AReleaseRq {
  /** The PDU type. */
  type: "A-RELEASE-RQ";
}

/** A-RELEASE-RP PDU (PS3.8 9.3.7). */
export interface AReleaseRp {
  /** The PDU type. */
  type: "A-RELEASE-RP";
}

/** A-ABORT PDU (PS3.8 9.3.8). */
export interface AAbort {
  /** The PDU type. */
  type: "A-ABORT";
  /** Who aborted: the service user or the service provider. */
  source: AbortSource;
  /** Why (meaningful when the service provider aborted). */
  reason: AbortReason;
}

/**
 * Any PS3.8 PDU, decoded. Plain data: `decodePdu(encodePdu(pdu))` gives it back.
 *
 * @example
 * ```ts
 * import type { Pdu } from "./pdu.ts";
 * const pdu: Pdu = { type: "A-ABORT", source: "service-user", reason: "reason-not-specified" };
 * ```
 */
export type Pdu =
  | AAssociateRq
  | AAssociateAc
  | AAssociateRj
  | PDataTf
  | AReleaseRq
  | AReleaseRp
  | AAbort;
