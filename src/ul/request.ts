import type { Duplex } from "node:stream";
import type { PduTrace } from "../outcome/mod.ts";
import { Engine } from "./_engine.ts";
import { Association, DEFAULT_TIMEOUT_MS } from "./association.ts";
import type { AAssociateRq, PresentationContextRq, UserInformation } from "./pdu.ts";
import {
  DICOM_APPLICATION_CONTEXT,
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
} from "./uids.ts";

/** Default maximum P-DATA-TF length we announce (as DCMTK does). */
export const DEFAULT_MAX_PDU_LENGTH = 16_384;
/** Default ARTIM timer (PS3.8 9.1.5). */
export const DEFAULT_ARTIM_MS = 5_000;

/** Options shared by {@linkcode requestAssociation} and {@linkcode acceptAssociation}. */
export interface AssociationOptions {
  /** A connected (or connecting) net.Socket, or a tls.TLSSocket after its handshake. */
  socket: Duplex;
  /** The maximum P-DATA-TF length we announce and accept; default 16384, 0 for unlimited. */
  maxPduLength?: number;
  /** How long to wait for the peer's A-ASSOCIATE-AC/-RJ (requestor) or A-ASSOCIATE-RQ (acceptor); default 30 000 ms. */
  timeoutMs?: number;
  /** ARTIM timer: how long to wait for the peer to close after a reject, release or abort; default 5 000 ms. */
  artimMs?: number;
  /**
   * performance.now() by which every wait of this association ends, whatever
   * its own timeout: ARTIM, the peer's close, the peer reading what we send
   * (a conversation's deadline). Default: none.
   */
  deadline?: number;
  /** Called with every PDU sent or received. */
  onPdu?: (trace: PduTrace) => void;
  /** performance.now() when the connection began (PduTrace.atMs counts from it); default now. */
  traceOrigin?: number;
  /** Implementation Class UID we send; default dicomtls's. */
  implementationClassUid?: string;
  /** Implementation Version Name we send; default dicomtls's. */
  implementationVersionName?: string;
}

/** Options of {@linkcode requestAssociation}. */
export interface RequestOptions extends AssociationOptions {
  /** Our AE title. */
  callingAe: string;
  /** The peer's AE title. */
  calledAe: string;
  /** Contexts to propose; ids default to 1, 3, 5, ... */
  presentationContexts: (Omit<PresentationContextRq, "id"> & { id?: number })[];
  /** Further user information sub-items (role selection, user identity, asynchronous operations window, ...). */
  userInformation?: Partial<UserInformation>;
}

/**
 * PS3.8 A-ASSOCIATE as the association requestor: sends an A-ASSOCIATE-RQ
 * over `socket` and resolves once the A-ASSOCIATE-AC came. Rejects with
 * AssociationRejected (A-ASSOCIATE-RJ: result, source, reason),
 * AssociationAborted, PduError (malformed answer), ProtocolError,
 * AssociationTimeout or ConnectionClosed; the transport is closed by then.
 *
 * @example
 * ```ts
 * import { requestAssociation } from "./request.ts";
 * import { IMPLICIT_VR_LITTLE_ENDIAN, VERIFICATION_SOP_CLASS } from "./uids.ts";
 * import net from "node:net";
 * const socket = net.connect({ host: "127.0.0.1", port: 11112, noDelay: true });
 * const association = await requestAssociation({
 *   socket,
 *   callingAe: "DICOMTLS",
 *   calledAe: "STORESCP",
 *   presentationContexts: [
 *     { abstractSyntax: VERIFICATION_SOP_CLASS, transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN] },
 *   ],
 * });
 * await association.release();
 * ```
 */
export async function requestAssociation(options: RequestOptions): Promise<Association> {
  const maxPduLength = options.maxPduLength ?? DEFAULT_MAX_PDU_LENGTH;
  const engine = new Engine({
    role: "requestor",
    socket: options.socket,
    maxReceiveLength: receiveLimit(maxPduLength),
    artimMs: options.artimMs ?? DEFAULT_ARTIM_MS,
    deadline: options.deadline,
    onPdu: options.onPdu,
    traceOrigin: options.traceOrigin ?? performance.now(),
  });
  const rq: AAssociateRq = {
    type: "A-ASSOCIATE-RQ",
    protocolVersion: 1,
    calledAe: options.calledAe,
    callingAe: options.callingAe,
    applicationContext: DICOM_APPLICATION_CONTEXT,
    presentationContexts: options.presentationContexts.map((pc, i) => ({
      id: pc.id ?? 2 * i + 1,
      abstractSyntax: pc.abstractSyntax,
      transferSyntaxes: pc.transferSyntaxes,
    })),
    userInformation: {
      maxPduLength,
      implementationClassUid: options.implementationClassUid ?? IMPLEMENTATION_CLASS_UID,
      implementationVersionName: options.implementationVersionName ?? IMPLEMENTATION_VERSION_NAME,
      ...options.userInformation,
    },
  };
  try {
    engine.request(rq);
    await engine.next({
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      waitingFor: "A-ASSOCIATE-AC",
    });
    return new Association(engine);
  } catch (e) {
    await engine.giveUp();
    throw e;
  }
}

/**
 * The largest PDU body we accept: our maximum for P-DATA, but at least 64 KiB
 * so that a large A-ASSOCIATE-RQ/AC (many contexts) still fits.
 */
export function receiveLimit(maxPduLength: number): number {
  return maxPduLength === 0 ? 0xffffffff : Math.max(maxPduLength, 65_536);
}
