/**
 * Hostile peers for the hardening tests of issue 14, beyond the raw
 * association (raw_association.ts): an SCP whose C-ECHO-RSP never ends, an
 * SCP that goes mute (at release, or by no longer reading),
 * silent and half-open connections, and the memory and file descriptors of
 * a process to watch them by.
 *
 * @module
 */
import net from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import { decodeCommand, encodeCommand } from "../dimse/command.ts";
import { listenTls, loadCredentials, type TlsServer } from "../tls/mod.ts";
import {
  type AAssociateAc,
  type AAssociateRq,
  decodePdu,
  encodePdu,
  IMPLICIT_VR_LITTLE_ENDIAN,
  PduError,
  VERIFICATION_SOP_CLASS,
} from "../ul/mod.ts";
import { makeCert } from "./certificates.ts";
import { pkiFile, type PkiResult } from "./pki.ts";
import { pDataPdu, readPdu, writeDrained } from "./raw_association.ts";

/**
 * A hostile SCP over TLS (`server` from the PKI): it accepts the
 * association (every context, implicit VR little endian) and answers a
 * C-ECHO-RQ with a C-ECHO-RSP that announces a data set and then sends data
 * set fragments without end, as fast as the connection takes them, until
 * the client closes. `sent()` says how many data set bytes went out.
 *
 * @example
 * ```ts
 * import { startEndlessEchoScp } from "./hostile_peers.ts";
 * import type { PkiResult } from "./pki.ts";
 * declare const pki: PkiResult;
 * const scp = await startEndlessEchoScp(pki);
 * await scp.close();
 * ```
 */
export async function startEndlessEchoScp(
  pki: PkiResult,
): Promise<{ port: number; sent(): number; close(): Promise<void> }> {
  let sent = 0;
  const server = await associatingScp(pki, async (socket, rq) => {
    const echo = await readPdu(socket, 10_000);
    const messageId = decodeCommand(echo.subarray(12)).MessageID;
    await writeDrained(socket, echoRspWithDataSet(rq.presentationContexts[0].id, messageId));
    const fragment = pDataPdu(
      rq.presentationContexts[0].id,
      false,
      false,
      new Uint8Array(16_000),
    );
    let gone = false;
    socket.once("close", () => gone = true);
    while (!gone && !socket.destroyed && !socket.writableEnded) {
      await writeDrained(socket, fragment);
      sent += 16_000;
      // A write the socket takes at once resolves in a microtask: without a turn of the
      // event loop here, nothing else (the client's close, a child's exit) would ever run.
      await new Promise((r) => setImmediate(r));
    }
  });
  return { port: server.port, sent: () => sent, close: () => server.close() };
}

/**
 * A hostile SCP over TLS (`server` from the PKI) that goes mute: it accepts
 * the association (every context, in its first transfer syntax) and then,
 * with `mute: "at-release"`, answers each C-ECHO-RQ with Success and once
 * the A-RELEASE-RQ came neither answers nor closes (it keeps reading); with
 * `mute: "at-request"` it reads the first request and never answers it,
 * keeping every PDU that comes after it (`afterRequest()`) until the client
 * closes; with `mute: "after-association"` it stops reading at once, so
 * what we send backs up into our send buffer; with `mute: "at-association"`
 * it never answers the A-ASSOCIATE-RQ and keeps what comes after it in
 * `afterRequest()`. Either way our waits only end by our own timers.
 * `releaseRequests()` says how many A-RELEASE-RQs came.
 *
 * @example
 * ```ts
 * import { startMuteScp } from "./hostile_peers.ts";
 * import type { PkiResult } from "./pki.ts";
 * declare const pki: PkiResult;
 * const scp = await startMuteScp(pki, { mute: "at-release" });
 * await scp.close();
 * ```
 */
export async function startMuteScp(
  pki: PkiResult,
  options: { mute: "at-release" | "at-request" | "after-association" | "at-association" },
): Promise<{
  port: number;
  releaseRequests(): number;
  afterRequest(): Uint8Array[];
  close(): Promise<void>;
}> {
  let releases = 0;
  const afterRequest: Uint8Array[] = [];
  // Reads one PDU and never answers; until the client closes (readPdu then throws), keeps
  // what it sends once it gives up.
  const ignoreRequest = async (socket: Duplex) => {
    await readPdu(socket, 60_000);
    for (;;) afterRequest.push(await readPdu(socket, 60_000));
  };
  const server = options.mute === "at-association"
    ? await listenTls({
      credentials: await loadCredentials({
        cert: pkiFile(pki, "server", "chain"),
        key: pkiFile(pki, "server", "key"),
      }),
      onConnection: ({ socket }) => {
        socket.on("error", () => {});
        ignoreRequest(socket).catch(() => socket.destroy());
      },
    })
    : await associatingScp(pki, async (socket) => {
      if (options.mute === "after-association") return void socket.pause();
      if (options.mute === "at-request") return await ignoreRequest(socket);
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
        await writeDrained(socket, echoRsp(pdu[10], messageId, { dataSet: false }));
      }
    });
  return {
    port: server.port,
    releaseRequests: () => releases,
    afterRequest: () => afterRequest,
    close: () => server.close(),
  };
}

/**
 * A TLS server (`server` from the PKI) that accepts each connection's
 * association (every context, in its first transfer syntax; the maximum
 * P-DATA-TF length it can receive `maxPduLength`, default 16,384), then
 * hands the socket to `then`; a connection `then` throws on is dropped.
 *
 * @example
 * ```ts
 * import { associatingScp } from "./hostile_peers.ts";
 * import type { PkiResult } from "./pki.ts";
 * declare const pki: PkiResult;
 * const server = await associatingScp(pki, async (socket) => void socket.destroy());
 * await server.close();
 * ```
 */
export async function associatingScp(
  pki: PkiResult,
  then: (socket: Duplex, rq: AAssociateRq) => Promise<void>,
  options: { maxPduLength?: number } = {},
): Promise<TlsServer> {
  const credentials = await loadCredentials({
    cert: pkiFile(pki, "server", "chain"),
    key: pkiFile(pki, "server", "key"),
  });
  return await listenTls({
    credentials,
    onConnection: async ({ socket }) => {
      socket.on("error", () => {});
      try {
        const rq = decodePdu(await readPdu(socket, 10_000));
        if (rq instanceof PduError || rq.type !== "A-ASSOCIATE-RQ") return void socket.destroy();
        await writeDrained(socket, encodePdu(acceptAll(rq, options.maxPduLength)));
        await then(socket, rq);
      } catch {
        socket.destroy();
      }
    },
  });
}

/**
 * A hostile TLS server (`server` from the PKI) that, right after each
 * handshake, sends application data without end (`chunk` again and again;
 * default 16 KiB of 0x00, no PS3.8 PDU type) as fast as the connection takes it, and
 * never reads: its socket is paused, so what the client sends backs up to
 * it through TCP, as with a peer that does not read. `sent()` says how many
 * bytes went out.
 *
 * @example
 * ```ts
 * import { startFloodingTlsServer } from "./hostile_peers.ts";
 * import type { PkiResult } from "./pki.ts";
 * declare const pki: PkiResult;
 * const server = await startFloodingTlsServer(pki);
 * await server.close();
 * ```
 */
export async function startFloodingTlsServer(
  pki: PkiResult,
  options: { chunk?: Uint8Array } = {},
): Promise<{ port: number; sent(): number; close(): Promise<void> }> {
  const credentials = await loadCredentials({
    cert: pkiFile(pki, "server", "chain"),
    key: pkiFile(pki, "server", "key"),
  });
  const chunk = options.chunk ?? new Uint8Array(16_384);
  let sent = 0;
  const server = await listenTls({
    credentials,
    onConnection: async ({ socket }) => {
      socket.on("error", () => {});
      socket.pause();
      let gone = false;
      socket.once("close", () => gone = true);
      while (!gone && !socket.destroyed && !socket.writableEnded) {
        await writeDrained(socket, chunk);
        sent += chunk.length;
        // A write taken at once resolves in a microtask: give the event loop a turn.
        await new Promise((r) => setImmediate(r));
      }
    },
  });
  return { port: server.port, sent: () => sent, close: () => server.close() };
}

function acceptAll(rq: AAssociateRq, maxPduLength = 16_384): AAssociateAc {
  return {
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
    userInformation: { maxPduLength, implementationClassUid: "1.2.3" },
  };
}

function echoRspWithDataSet(contextId: number, messageId: number | undefined): Uint8Array {
  return echoRsp(contextId, messageId, { dataSet: true });
}

function echoRsp(
  contextId: number,
  messageId: number | undefined,
  o: { dataSet: boolean },
): Uint8Array {
  return pDataPdu(
    contextId,
    true,
    true,
    encodeCommand({
      CommandField: 0x8030,
      MessageIDBeingRespondedTo: messageId,
      AffectedSOPClassUID: VERIFICATION_SOP_CLASS,
      Status: 0,
      // Anything but 0x0101: a data set follows (PS3.7 E.1), which a C-ECHO-RSP never has.
      CommandDataSetType: o.dataSet ? 0x0000 : 0x0101,
    }),
  );
}

/** What {@linkcode startHostileTextScp} puts wherever a peer's text reaches our outputs. */
export interface HostileTextScpOptions {
  /** Its certificate's subject (and issuer: self-signed), RFC 4514; `#hex` gives any DER string. */
  subject: string;
  /** The called and calling AE titles echoed in its A-ASSOCIATE-AC, and its implementation version name. */
  ae: string;
  /** Its implementation class UID and the error comment of its C-ECHO-RSP. */
  text: string;
  /**
   * Its certificate issued by a throwaway CA (sent with it) and signed with
   * SHA-1, so that profiles judge it and name it in their findings (a
   * self-signed root is not judged); default self-signed, SHA-256.
   */
  issuedWithSha1?: boolean;
}

/**
 * A TLS SCP whose every text is hostile: its certificate (see
 * {@linkcode HostileTextScpOptions}), its A-ASSOCIATE-AC (every context
 * accepted), and its answer to a C-ECHO-RQ, a failure (0xC123) with an
 * error comment; it answers an A-RELEASE-RQ.
 *
 * @example
 * ```ts
 * import { startHostileTextScp } from "./hostile_peers.ts";
 * const scp = await startHostileTextScp({ subject: "CN=\x1b[2J", ae: "\x1b[2J", text: "<b>" });
 * await scp.close();
 * ```
 */
export async function startHostileTextScp(
  options: HostileTextScpOptions,
): Promise<{ port: number; close(): Promise<void> }> {
  const ca = options.issuedWithSha1 ? await makeCert({ name: "hostile CA", ca: true }) : undefined;
  const { certPem, keyPem } = await makeCert({
    name: "hostile",
    subject: options.subject,
    ...(ca ? { issuer: ca, hash: "SHA-1" } : {}),
  });
  const cert = ca ? certPem + ca.certPem : certPem;
  const server = tls.createServer({ cert, key: keyPem }, async (socket) => {
    socket.on("error", () => {});
    try {
      const rq = decodePdu(await readPdu(socket, 10_000));
      if (rq instanceof PduError || rq.type !== "A-ASSOCIATE-RQ") return void socket.destroy();
      await writeDrained(
        socket,
        encodePdu({
          ...acceptAll(rq),
          calledAe: options.ae,
          callingAe: options.ae,
          userInformation: {
            maxPduLength: 16_384,
            implementationClassUid: options.text,
            implementationVersionName: options.ae,
          },
        }),
      );
      const echo = await readPdu(socket, 10_000);
      const command = encodeCommand({
        CommandField: 0x8030,
        MessageIDBeingRespondedTo: decodeCommand(echo.subarray(12)).MessageID,
        AffectedSOPClassUID: VERIFICATION_SOP_CLASS,
        Status: 0xc123,
        ErrorComment: options.text,
        CommandDataSetType: 0x0101,
      });
      await writeDrained(socket, pDataPdu(echo[10], true, true, command));
      if ((await readPdu(socket, 10_000))[0] === 0x05) {
        await writeDrained(socket, encodePdu({ type: "A-RELEASE-RP" }));
      }
    } catch {
      socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Opens `count` TCP connections to 127.0.0.1:`port` and sends `first` on
 * each (nothing: a silent connection); each resolves `closedAfterMs` when
 * the server closed it.
 *
 * @example
 * ```ts
 * import { openSilent } from "./hostile_peers.ts";
 * const conns = await openSilent({ port: 11112, count: 10 });
 * conns.forEach((c) => c.socket.destroy());
 * ```
 */
export async function openSilent(
  options: { port: number; count: number; first?: Uint8Array },
): Promise<{ socket: net.Socket; closedAfterMs: Promise<number> }[]> {
  const opened = Array.from(
    { length: options.count },
    () =>
      new Promise<{ socket: net.Socket; closedAfterMs: Promise<number> }>((resolve, reject) => {
        const socket = net.connect({ host: "127.0.0.1", port: options.port, noDelay: true });
        socket.once("error", reject);
        socket.on("data", () => {});
        socket.once("connect", () => {
          socket.off("error", reject);
          socket.on("error", () => {});
          const start = performance.now();
          if (options.first) socket.write(options.first);
          const closedAfterMs = new Promise<number>((r) =>
            socket.once("close", () => r(performance.now() - start))
          );
          resolve({ socket, closedAfterMs });
        });
      }),
  );
  return await Promise.all(opened);
}

/** The first 60 bytes of a TLS 1.2 ClientHello record: half a handshake. */
export const HALF_CLIENT_HELLO: Uint8Array = (() => {
  const hello = new Uint8Array(60);
  // Handshake record, TLS 1.0 record version, length 512: the rest never comes.
  hello.set([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]);
  return hello;
})();

/** Resident and peak memory of a process, in MB, and its open file descriptors. */
export async function processUsage(
  pid: number,
): Promise<{ rssMb: number; peakMb: number; fds: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
  let fds = 0;
  for await (const _ of Deno.readDir(`/proc/${pid}/fd`)) fds++;
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024, fds };
}
