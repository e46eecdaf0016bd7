import type { AddressInfo } from "node:net";
import tls from "node:tls";
import type { TlsOutcome } from "../outcome/mod.ts";
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
}

/** A handshake that failed: the error our TLS stack gave, and who it was with. */
export interface RefusedTls {
  /** The TLS stack's error, e.g. an alert it sent. */
  error: Error;
  /** "127.0.0.1:53122". */
  peer: string;
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
  /** Longest handshake, in milliseconds. */
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
 * The TLS server of the reference AE (`node:tls`, noDelay on): hands every
 * accepted connection over with the client's certificate chain; failed
 * handshakes go to `onRefused`. Rejects with the listen error (e.g. the
 * port is taken).
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
 * });
 * await server.close();
 * ```
 */
export async function listenTls(options: ListenTlsOptions): Promise<TlsServer> {
  const sockets = new Set<tls.TLSSocket>();
  const strict = options.requestCert === true && options.anchors !== undefined;
  const server = tls.createServer({
    cert: options.credentials.cert,
    key: options.credentials.key,
    requestCert: options.requestCert ?? false,
    rejectUnauthorized: strict,
    ...(strict ? { ca: options.anchors!.map(pem) } : {}),
    minVersion: options.minVersion,
    maxVersion: options.maxVersion,
    ...(options.handshakeTimeoutMs ? { handshakeTimeout: options.handshakeTimeoutMs } : {}),
  });
  server.on("connection", (socket) => socket.setNoDelay(true));
  server.on("tlsClientError", (error: Error, socket: tls.TLSSocket) => {
    options.onRefused?.({ error, peer: peerAddress(socket) });
  });
  server.on("secureConnection", (socket: tls.TLSSocket) => {
    socket.on("error", () => {/* the connection's owner reads errors through its reads */});
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    const cipher = socket.getCipher() as { standardName?: string; name?: string } | undefined;
    options.onConnection({
      socket,
      peerChain: peerCertificates(socket),
      tls: {
        status: "established",
        protocol: socket.getProtocol() ?? undefined,
        cipher: cipher?.standardName ?? cipher?.name,
      },
      peer: peerAddress(socket),
    });
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

// A TLSSocket that failed its handshake may not know the address; its TCP socket does.
function peerAddress(socket: tls.TLSSocket): string {
  const tcp = socket as unknown as { _parent?: { remoteAddress?: string; remotePort?: number } };
  const address = socket.remoteAddress ?? tcp._parent?.remoteAddress;
  const port = socket.remotePort ?? tcp._parent?.remotePort;
  return address === undefined ? "unknown" : `${address}:${port}`;
}

function pem(der: Uint8Array): string {
  return x509.PemConverter.encode(new Uint8Array(der).buffer, "CERTIFICATE");
}
