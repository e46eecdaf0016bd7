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
  itemType: number;
  data: Uint8Array;
}

/** Presentation context item in an A-ASSOCIATE-RQ (PS3.8 9.3.2.2). */
export interface PresentationContextRq {
  /** Odd number 1-255. */
  id: number;
  abstractSyntax: string;
  transferSyntaxes: string[];
  /**
   * The item's three reserved bytes, only when not all zero (DCMTK sends
   * 0xFF in the second): kept so that re-encoding is byte-exact.
   */
  reserved?: number[];
}

/** Presentation context item in an A-ASSOCIATE-AC (PS3.8 9.3.3.2). */
export interface PresentationContextAc {
  id: number;
  result: PresentationContextResult;
  /** Significant only when accepted; undefined when the peer left the sub-item out. */
  transferSyntax?: string;
}

/** SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4). */
export interface RoleSelection {
  sopClassUid: string;
  scuRole: number;
  scpRole: number;
}

/** User Identity Negotiation sub-item of an A-ASSOCIATE-RQ (PS3.7 D.3.3.7.1). */
export interface UserIdentityRq {
  /** 1 username, 2 username and passcode, 3 Kerberos, 4 SAML, 5 JWT. */
  identityType: number;
  positiveResponseRequested: boolean;
  primaryField: Uint8Array;
  secondaryField: Uint8Array;
}

/** User Information item (PS3.8 9.3.2.3, PS3.7 Annex D.3.3) of A-ASSOCIATE-RQ and -AC. */
export interface UserInformation {
  /** Maximum length of the P-DATA-TF variable field we can receive; 0 means unlimited. */
  maxPduLength?: number;
  implementationClassUid?: string;
  implementationVersionName?: string;
  asynchronousOperationsWindow?: { maxOperationsInvoked: number; maxOperationsPerformed: number };
  roleSelections?: RoleSelection[];
  /** A-ASSOCIATE-RQ only. */
  userIdentity?: UserIdentityRq;
  /** A-ASSOCIATE-AC only: the server response of User Identity Negotiation (PS3.7 D.3.3.7.2). */
  userIdentityResponse?: Uint8Array;
  /** Sub-items we do not interpret (e.g. SOP Class Extended Negotiation), kept raw. */
  unknown?: RawItem[];
}

/** Fields shared by A-ASSOCIATE-RQ and -AC. */
interface AssociateCommon {
  /** Bit 0 set means version 1 (the only one). */
  protocolVersion: number;
  calledAe: string;
  callingAe: string;
  /** "1.2.840.10008.3.1.1.1", the DICOM application context. */
  applicationContext: string;
  userInformation: UserInformation;
  /** Top-level items we do not interpret, kept raw. */
  unknownItems?: RawItem[];
}

/** A-ASSOCIATE-RQ PDU (PS3.8 9.3.2). */
export interface AAssociateRq extends AssociateCommon {
  type: "A-ASSOCIATE-RQ";
  presentationContexts: PresentationContextRq[];
}

/** A-ASSOCIATE-AC PDU (PS3.8 9.3.3). */
export interface AAssociateAc extends AssociateCommon {
  type: "A-ASSOCIATE-AC";
  presentationContexts: PresentationContextAc[];
}

/** A-ASSOCIATE-RJ PDU (PS3.8 9.3.4). */
export interface AAssociateRj {
  type: "A-ASSOCIATE-RJ";
  result: RejectResult;
  source: RejectSource;
  reason: RejectReason;
}

/** One presentation data value: a fragment of a DIMSE command or data set (PS3.8 9.3.5.1, E.2). */
export interface Pdv {
  contextId: number;
  isCommand: boolean;
  isLast: boolean;
  data: Uint8Array;
}

/** P-DATA-TF PDU (PS3.8 9.3.5). */
export interface PDataTf {
  type: "P-DATA-TF";
  pdvs: Pdv[];
}

/** A-RELEASE-RQ PDU (PS3.8 9.3.6). */
export interface AReleaseRq {
  type: "A-RELEASE-RQ";
}

/** A-RELEASE-RP PDU (PS3.8 9.3.7). */
export interface AReleaseRp {
  type: "A-RELEASE-RP";
}

/** A-ABORT PDU (PS3.8 9.3.8). */
export interface AAbort {
  type: "A-ABORT";
  source: AbortSource;
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
