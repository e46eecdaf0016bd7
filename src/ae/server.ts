import type { AddressInfo } from "node:net";
import tls from "node:tls";
import {
  COMMAND_FIELDS,
  commandName,
  echoResponse,
  receiveMessage,
  sendMessage,
  storeResponse,
} from "../dimse/mod.ts";
import { certificateInfo, peerCertificates, verifyPeer } from "../tls/mod.ts";
import { acceptAssociation, type AcceptDecision, type Association } from "../ul/mod.ts";
import { AssociationAborted, AssociationRejected, AssociationTimeout } from "../ul/mod.ts";
import { InputError } from "../yaml/mod.ts";
import type { AssociationLog } from "./association_log.ts";
import { relieveMemory } from "../memory/mod.ts";
import { toJson } from "../text/mod.ts";
import type { AeConfig } from "./config.ts";
import { writePart10File } from "./part10.ts";
import { decideAssociation, LOCAL_LIMIT_EXCEEDED } from "./policy.ts";
import { loadLocalCertificate, loadTrustAnchors, verificationPolicy } from "./security.ts";

/** Options of {@linkcode startReferenceAe}. */
export interface ReferenceAeOptions {
  config: AeConfig;
  /** Called with one entry per connection once it ended; default: print it as one JSON line. */
  onLog?: (entry: AssociationLog) => void;
}

/** A running reference AE. */
export interface ReferenceAe {
  host: string;
  /** The port it listens on (the one the OS picked for port 0). */
  port: number;
  /** Associations established right now. */
  readonly activeAssociations: number;
  /**
   * Stops listening, lets open associations finish for up to `graceMs`
   * (default 2 000), aborts the rest (A-ABORT, or a close before any
   * association), and resolves once every connection is
   * closed and logged.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Starts the reference AE: a DICOM TLS SCP with the seed SDK's acceptor
 * security context, the AE policy, C-ECHO and C-STORE (to Part 10 files).
 * With mutual authentication and `chain`, the TLS stack itself refuses an
 * untrusted client during the handshake (the client sees a real alert); with
 * `none` and `thumbprint`, any certificate passes the handshake and our
 * verifier decides, closing before any association. Our verifier's verdict
 * is logged in every mode. Bad configuration (files, store selection) is an
 * {@linkcode InputError}.
 *
 * @example
 * ```ts
 * const ae = await startReferenceAe({ config: resolveAeConfig(await loadAeConfig("ae.yaml"), { port: 0 }) });
 * console.log(`listening on ${ae.host}:${ae.port}`);
 * await ae.close();
 * ```
 */
export async function startReferenceAe(options: ReferenceAeOptions): Promise<ReferenceAe> {
  const { config } = options;
  const s = config.security;
  const onLog = options.onLog ?? ((e) => console.log(toJson(e)));
  const credentials = await loadLocalCertificate(s.certificate!);
  const anchors = await loadTrustAnchors(s.mutual && s.verify === "chain" ? s.ca : []);
  const policy = verificationPolicy(s, anchors);
  if (config.storage !== undefined) {
    try {
      await Deno.mkdir(config.storage, { recursive: true });
    } catch (e) {
      throw new InputError({
        message: `cannot create storage folder ${config.storage}: ${(e as Error).message}`,
        hint: "check --storage",
      });
    }
  }
  const handshakeRefuses = s.mutual && s.verify === "chain";
  const server = tls.createServer({
    key: credentials.key,
    cert: credentials.cert,
    requestCert: s.mutual,
    rejectUnauthorized: handshakeRefuses,
    ...(handshakeRefuses ? { ca: anchors.pem } : {}),
    minVersion: `TLSv${s.tlsMin}` as tls.SecureVersion,
    handshakeTimeout: config.idleTimeoutMs,
  });
  // Each open connection's way to end it now: A-ABORT when associated, else close.
  const open = new Map<tls.TLSSocket, (why: string) => void>();
  const handlers = new Set<Promise<void>>();
  let active = 0;
  const track = (p: Promise<void>) => {
    handlers.add(p);
    p.finally(() => handlers.delete(p));
  };

  server.on("connection", (socket) => socket.setNoDelay(true));
  server.on("tlsClientError", (error: Error, socket: tls.TLSSocket) => {
    onLog({
      time: new Date().toISOString(),
      peer: peerAddress(socket),
      result: "tls-refused",
      dimse: [],
      detail: error.message,
      durationMs: 0,
    });
  });
  server.on("secureConnection", (socket: tls.TLSSocket) => {
    socket.on("error", () => {/* reported through the association's errors */});
    track(
      serveConnection(socket).catch(() => {}).finally(() => {
        open.delete(socket);
        socket.destroy();
      }),
    );
  });

  async function serveConnection(socket: tls.TLSSocket): Promise<void> {
    const started = performance.now();
    const entry: AssociationLog = {
      time: new Date().toISOString(),
      peer: `${socket.remoteAddress}:${socket.remotePort}`,
      tls: {
        protocol: socket.getProtocol() ?? undefined,
        cipher: socket.getCipher()?.standardName ?? socket.getCipher()?.name,
      },
      result: "error",
      dimse: [],
      durationMs: 0,
    };
    let association: Association | undefined;
    let established = false;
    const stop = (why: string) => {
      entry.detail = why;
      association ? association.abort() : socket.destroy();
    };
    open.set(socket, stop);
    // The whole association is bounded, however lively the peer.
    const lifetime = setTimeout(
      () => stop(`association timeout after ${config.associationTimeoutMs} ms`),
      config.associationTimeoutMs,
    );
    try {
      const chain = peerCertificates(socket);
      if (chain[0]) {
        try {
          const info = certificateInfo(chain[0]);
          entry.peerCertificate = { subject: info.subject, sha1: info.sha1 };
        } catch { /* malformed: the verifier says so */ }
      }
      if (s.mutual) {
        // Mutual authentication requires a certificate whatever the method (the verifier's `none` alone would pass).
        const v = chain.length ? await verifyPeer({ policy, chain, purpose: "client" }) : {
          method: s.verify,
          ok: false,
          reasons: ["no-certificate" as const],
          details: [
            "no-certificate: mutual authentication is on and the peer presented no certificate",
          ],
        };
        entry.verification = { method: v.method, ok: v.ok, reasons: v.reasons };
        if (!v.ok) {
          entry.result = "refused-by-verification";
          entry.detail = v.details.join("; ");
          return;
        }
      }
      association = await acceptAssociation({
        socket,
        maxPduLength: config.maxPduLength,
        timeoutMs: config.idleTimeoutMs,
        decide: (rq): AcceptDecision => {
          entry.callingAe = rq.callingAe.trim();
          entry.calledAe = rq.calledAe.trim();
          if (active >= config.maxAssociations) return { accept: false, ...LOCAL_LIMIT_EXCEEDED };
          const d = decideAssociation(rq, {
            ae: config.ae,
            acceptCalling: config.acceptCalling,
            storage: config.storage !== undefined,
          });
          if (!d.accept) return { accept: false, ...d.reject };
          active++;
          established = true;
          return d;
        },
      });
      entry.result = "accepted";
      await serveDimse(association, entry);
    } catch (e) {
      if (e instanceof AssociationRejected) {
        entry.result = "rejected";
        entry.reject = { result: e.result, source: e.source, reason: e.reason };
      } else {
        entry.result = e instanceof AssociationAborted
          ? "aborted"
          : e instanceof AssociationTimeout
          ? "timeout"
          : entry.result === "accepted"
          ? "aborted"
          : "error";
        entry.detail ??= (e as Error).message;
      }
    } finally {
      clearTimeout(lifetime);
      if (established) active--;
      entry.durationMs = Math.round(performance.now() - started);
      onLog(entry);
      relieveMemory(); // each connection's native TLS memory is invisible to V8
    }
  }

  async function serveDimse(association: Association, entry: AssociationLog): Promise<void> {
    while (true) {
      const message = await receiveMessage(association, { timeoutMs: config.idleTimeoutMs });
      if (message === null) {
        await association.release({ timeoutMs: config.idleTimeoutMs });
        entry.released = true;
        return;
      }
      const field = message.command.CommandField;
      if (field === COMMAND_FIELDS["C-ECHO-RQ"]) {
        await sendMessage(association, echoResponse(message));
        entry.dimse.push({ command: "C-ECHO", status: "0x0000" });
      } else if (field === COMMAND_FIELDS["C-STORE-RQ"] && config.storage !== undefined) {
        const context = association.acceptedContexts.find((c) => c.id === message.contextId)!;
        let status = 0x0000;
        let comment: string | undefined;
        let file: string | undefined;
        try {
          file = await writePart10File(config.storage, {
            dataset: message.dataset ?? new Uint8Array(),
            transferSyntax: context.transferSyntax,
            sopClassUid: message.command.AffectedSOPClassUID ?? context.abstractSyntax,
            sopInstanceUid: message.command.AffectedSOPInstanceUID ?? "",
            sourceAe: association.rq.callingAe,
          });
        } catch (e) {
          // 0xC000: Error: Cannot understand (PS3.4 B.2.3).
          status = 0xc000;
          comment = `cannot store the data set: ${(e as Error).message}`;
        }
        await sendMessage(association, storeResponse(message, status, comment));
        entry.dimse.push({
          command: "C-STORE",
          status: `0x${status.toString(16).padStart(4, "0")}`,
          ...(file ? { file } : {}),
        });
      } else {
        entry.result = "aborted";
        entry.detail = `unsupported ${commandName(field)}: aborted by us`;
        await association.abort();
        return;
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once(
      "error",
      (e) =>
        reject(
          new InputError({
            message: `cannot listen on ${config.host}:${config.port}: ${e.message}`,
            hint: "pick another --port or --host",
          }),
        ),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  // What loading the modules and the configuration left behind, collected
  // before serving rather than during the first associations (and the
  // collector set up now): the growth check then starts from a clean heap.
  relieveMemory({ force: true });
  const port = (server.address() as AddressInfo).port;
  return {
    host: config.host,
    port,
    get activeAssociations() {
      return active;
    },
    async close({ graceMs = 2000 } = {}) {
      const closed = new Promise<void>((r) => server.close(() => r()));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((r) => (timer = setTimeout(r, graceMs)));
      await Promise.race([Promise.all([...handlers]), grace]);
      clearTimeout(timer);
      for (const stop of open.values()) stop(`aborted by us: the AE stopped after ${graceMs} ms`);
      await Promise.all([...handlers]);
      await closed;
    },
  };
}

// A TLSSocket that failed its handshake may not know the address; its TCP socket does.
function peerAddress(socket: tls.TLSSocket): string {
  const tcp = socket as unknown as { _parent?: { remoteAddress?: string; remotePort?: number } };
  const address = socket.remoteAddress ?? tcp._parent?.remoteAddress;
  const port = socket.remotePort ?? tcp._parent?.remotePort;
  return address === undefined ? "unknown" : `${address}:${port}`;
}
