import { decodeCommand, encodeCommand } from "../dimse/command.ts";
import { listenTls, loadCredentials } from "../tls/mod.ts";
import {
  type AAssociateAc,
  decodePdu,
  encodePdu,
  IMPLICIT_VR_LITTLE_ENDIAN,
  PduError,
  VERIFICATION_SOP_CLASS,
} from "../ul/mod.ts";
import { pkiFile, type PkiResult } from "./pki.ts";
import { pDataPdu, readPdu, writeDrained } from "./raw_association.ts";

/**
 * A hostile SCP over TLS (`server` from the PKI) that goes mute: it accepts
 * the association (every context, in its first transfer syntax) and then,
 * with `mute: "at-release"`, answers each C-ECHO-RQ with Success and once
 * the A-RELEASE-RQ came neither answers nor closes (it keeps reading); with
 * `mute: "after-association"` it stops reading at once, so what we send
 * backs up into our send buffer. Either way our waits only end by our own
 * timers. `releaseRequests()` says how many A-RELEASE-RQs came.
 *
 * @example
 * ```ts
 * import { startMuteScp } from "./mute_scp.ts";
 * import type { PkiResult } from "./pki.ts";
 * declare const pki: PkiResult;
 * const scp = await startMuteScp(pki, { mute: "at-release" });
 * await scp.close();
 * ```
 */
export async function startMuteScp(
  pki: PkiResult,
  options: { mute: "at-release" | "after-association" },
): Promise<{ port: number; releaseRequests(): number; close(): Promise<void> }> {
  const credentials = await loadCredentials({
    cert: pkiFile(pki, "server", "chain"),
    key: pkiFile(pki, "server", "key"),
  });
  let releases = 0;
  const server = await listenTls({
    credentials,
    onConnection: async ({ socket }) => {
      socket.on("error", () => {});
      try {
        const rq = decodePdu(await readPdu(socket, 10_000));
        if (rq instanceof PduError || rq.type !== "A-ASSOCIATE-RQ") return void socket.destroy();
        const ac: AAssociateAc = {
          type: "A-ASSOCIATE-AC",
          protocolVersion: 1,
          calledAe: rq.calledAe,
          callingAe: rq.callingAe,
          applicationContext: rq.applicationContext,
          presentationContexts: rq.presentationContexts.map((pc) => ({
            id: pc.id,
            result: "acceptance",
            transferSyntax: pc.transferSyntaxes[0] ?? IMPLICIT_VR_LITTLE_ENDIAN,
          })),
          userInformation: { maxPduLength: 16_384, implementationClassUid: "1.2.3" },
        };
        await writeDrained(socket, encodePdu(ac));
        if (options.mute === "after-association") return void socket.pause();
        for (;;) {
          const pdu = await readPdu(socket, 60_000);
          if (pdu[0] === 0x05) {
            // A-RELEASE-RQ: no A-RELEASE-RP, no close; keep reading so nothing backs up.
            releases++;
            socket.resume();
            return;
          }
          if (pdu[0] !== 0x04) return void socket.destroy();
          const messageId = decodeCommand(pdu.subarray(12)).MessageID;
          await writeDrained(socket, echoRsp(pdu[10], messageId));
        }
      } catch {
        socket.destroy();
      }
    },
  });
  return { port: server.port, releaseRequests: () => releases, close: () => server.close() };
}

function echoRsp(contextId: number, messageId: number | undefined): Uint8Array {
  return pDataPdu(
    contextId,
    true,
    true,
    encodeCommand({
      CommandField: 0x8030,
      MessageIDBeingRespondedTo: messageId,
      AffectedSOPClassUID: VERIFICATION_SOP_CLASS,
      Status: 0,
      CommandDataSetType: 0x0101,
    }),
  );
}
