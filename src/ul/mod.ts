/**
 * The DICOM upper layer (PS3.8) over any Duplex stream (net.Socket or
 * tls.TLSSocket): the seven PDU types with every item and sub-item
 * ({@linkcode decodePdu}, {@linkcode encodePdu}), a framer that refuses
 * oversized PDUs before buffering them ({@linkcode PduFramer}), the
 * association state machine as PS3.8 Table 9-10 ({@linkcode TRANSITIONS}),
 * and the association API for both roles ({@linkcode requestAssociation},
 * {@linkcode acceptAssociation}, {@linkcode Association}) with typed errors.
 *
 * @example
 * ```ts
 * import net from "node:net";
 * import { IMPLICIT_VR_LITTLE_ENDIAN, requestAssociation, VERIFICATION_SOP_CLASS } from "./mod.ts";
 * const socket = net.connect({ host: "127.0.0.1", port: 11112, noDelay: true });
 * const association = await requestAssociation({
 *   socket, callingAe: "DICOMTLS", calledAe: "STORESCP", timeoutMs: 5000,
 *   presentationContexts: [{ abstractSyntax: VERIFICATION_SOP_CLASS, transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN] }],
 *   onPdu: (t) => console.log(t.direction, t.type, t.length),
 * });
 * await association.release();
 * ```
 * @module
 */
export * from "./pdu.ts";
export * from "./reasons.ts";
export * from "./pdu_error.ts";
export * from "./decode.ts";
export * from "./encode.ts";
export * from "./framer.ts";
export * from "./state_machine.ts";
export * from "./errors.ts";
export * from "./trace.ts";
export * from "./pdu_traces.ts";
export * from "./uids.ts";
export * from "./association.ts";
export * from "./request.ts";
export * from "./accept.ts";
export * from "./concat_bytes.ts";
export * from "./ae_title.ts";
