import net from "node:net";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import type { TlsOutcome, WireObservation } from "../outcome/mod.ts";
import { acceptVerdict } from "./handshake_verdict.ts";
import { WireTap } from "./wire/tap.ts";
import { x509 } from "./_x509.ts";
import type { TlsVersion } from "./version.ts";
import type { TlsCredentials } from "./credentials.ts";
import { peerCertificates } from "./connect.ts";

/** One accepted TLS connection: the socket and what the peer presented. */
export interface AcceptedTls {
  /** The TLS socket, established. */
  socket: tls.TLSSocket;
  /** The client's certificates, DER, leaf first (empty when it sent none): apply `verifyPeer` to them. */
  peerChain: Uint8Array[];
  /** Protocol and cipher; `status` "established". */
  tls: TlsOutcome;
  /** "127.0.0.1:53122". */
  peer: string;
  /** What was on the wire so far (a snapshot each call): the client's ClientHello, ... */
  wire: () => WireObservation;
}

/** A handshake that did not complete: the TLS stage judged by the wire, and who it was with. */
export interface RefusedTls {
  /** The TLS stack's error (or our handshake deadline's). */
  error: Error;
  /**
   * The TLS stage: not-tls (the client sent nothing, or plain DICOM, HTTP:
   * `firstBytes`), refused-by-peer (the client's alert or close), refused-by-us
   * (our stack refused, e.g. the client's certificate by chain), timeout.
   */
  tls: TlsOutcome;
  /** "127.0.0.1:53122". */
  peer: string;
  /** What was on the wire (TLS 1.2 and below: the client's certificates in the clear). */
  wire: WireObservation;
}

/** Options of {@linkcode listenTls}. */
export interface ListenTlsOptions {
  /** Our certificate, chain and key. */
  credentials: TlsCredentials;
  /** Ask the client for a certificate (mutual authentication). */
  requestCert?: boolean;
  /**
   * With `requestCert`: refuse, inside the handshake, clients whose
   * certificate does not chain to these CA certificates (DER), as a chain
   * policy does. Without: any certificate (or none) gets through, for
   * `verifyPeer` to judge afterwards.
   */
  anchors?: Uint8Array[];
  /** Lowest TLS version accepted; default the stack's. */
  minVersion?: TlsVersion;
  /** Highest TLS version accepted; default the stack's. */
  maxVersion?: TlsVersion;
  /** Longest time from accept to the end of the handshake; the socket is then closed. Default 15 000. */
  handshakeTimeoutMs?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Called with each connection whose handshake completed. */
  onConnection(accepted: AcceptedTls): void;
  /** A handshake that failed (the client got the alert, or a close). */
  onRefused?(refused: RefusedTls): void;
}

/** A listening TLS server. */
export interface TlsServer {
  /** The port it listens on. */
  port: number;
  /** Stops accepting; open connections go on. Resolves once they all closed. */
  stopListening(): Promise<void>;
  /** Stops listening and ends every open connection now. */
  close(): Promise<void>;
}

/**
 * The TLS server of the reference AE (and of the inbound harness): TCP
 * (noDelay on), observed beneath the TLS stack by a {@linkcode WireTap},
 * then `node:tls`. Hands every established connection over with the
 * client's certificate chain and the wire; a handshake that does not
 * complete (refused either way, not TLS at all, or past the deadline,
 * which closes the socket) goes to `onRefused`, judged by the wire.
 * Rejects with the listen error (e.g. the port is taken).
 *
 * @example
 * ```ts
 * import { listenTls } from "./server.ts";
 * import { verifyPeer, type VerificationPolicy } from "./policy.ts";
 * import type { TlsCredentials } from "./credentials.ts";
 * declare const credentials: TlsCredentials;
 * declare const policy: VerificationPolicy;
 * const server = await listenTls({
 *   credentials, requestCert: true,
 *   onConnection: async ({ socket, peerChain }) => {
 *     const v = await verifyPeer({ policy, chain: peerChain, purpose: "client" });
 *     if (!v.ok) socket.destroy();
 *   },
 *   onRefused: ({ tls, peer }) => console.log(peer, tls.status, tls.error),
 * });
 * await server.close();
 * ```
 */
export async function listenTls(options: ListenTlsOptions): Promise<TlsServer> {
  const sockets = new Set<net.Socket>();
  const strict = options.requestCert === true && options.anchors !== undefined;
  // One tls.Server per connection, fed the tap: its events then belong to
  // that connection alone. (A TLSSocket made directly on the tap does not
  // verify client certificates in Deno; a server does.)
  const serverOptions: tls.TlsOptions = {
    cert: options.credentials.cert,
    key: options.credentials.key,
    requestCert: options.requestCert ?? false,
    rejectUnauthorized: strict,
    ...(strict ? { ca: options.anchors!.map(pem) } : {}),
    minVersion: options.minVersion,
    maxVersion: options.maxVersion,
  };
  const deadline = options.handshakeTimeoutMs ?? 15_000;
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on("error", () => {/* the connection's owner reads errors through its reads */});
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const tap = new WireTap({ socket, role: "server", maxRecords: 24 });
    // Deno's TLS server destroys the stream on a refusal before it writes its alert.
    tap.expectTls();
    const handshake = tls.createServer(serverOptions);
    let settled = false;
    const refuse = (error: Error, secure?: tls.TLSSocket) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Through the TLS socket when there is one: its alert goes out before the FIN.
      if (secure) secure.destroy();
      else tap.destroy();
      // The last records (the client's alert, our close) are in once the socket closed.
      const report = () =>
        options.onRefused?.({
          error,
          peer,
          tls: acceptVerdict({ error, wire: tap.observation() }),
          wire: tap.observation(),
        });
      if (socket.destroyed) report();
      else socket.once("close", report);
    };
    const timer = setTimeout(
      () => refuse(new Error(`no TLS handshake within ${deadline} ms: closed by us`)),
      deadline,
    );
    handshake.on("tlsClientError", (error: Error, secure: tls.TLSSocket) => refuse(error, secure));
    handshake.on("secureConnection", (secure: tls.TLSSocket) => {
      if (settled) return secure.destroy();
      settled = true;
      clearTimeout(timer);
      tap.attachTls(secure);
      secure.on("error", () => {/* the connection's owner reads errors through its reads */});
      const cipher = secure.getCipher() as { standardName?: string; name?: string } | undefined;
      options.onConnection({
        socket: secure,
        peerChain: peerCertificates(secure),
        tls: {
          status: "established",
          protocol: secure.getProtocol() ?? undefined,
          cipher: cipher?.standardName ?? cipher?.name,
        },
        peer,
        wire: () => tap.observation(),
      });
    });
    handshake.emit("connection", tap);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    stopListening,
    close: () => {
      const stopped = stopListening();
      sockets.forEach((s) => s.destroy());
      return stopped;
    },
  };
}

function pem(der: Uint8Array): string {
  return x509.PemConverter.encode(new Uint8Array(der).buffer, "CERTIFICATE");
}
