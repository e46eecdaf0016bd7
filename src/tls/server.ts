import type { AddressInfo } from "node:net";
import tls from "node:tls";
import type { TlsOutcome } from "../outcome/mod.ts";
import { x509 } from "./_x509.ts";
import type { TlsVersion } from "./version.ts";
import type { TlsCredentials } from "./credentials.ts";
import { peerCertificates } from "./connect.ts";

/** One accepted TLS connection: the socket and what the peer presented. */
export interface AcceptedTls {
  socket: tls.TLSSocket;
  /** The client's certificates, DER, leaf first (empty when it sent none): apply `verifyPeer` to them. */
  peerChain: Uint8Array[];
  /** Protocol and cipher; `status` "established". */
  tls: TlsOutcome;
  remoteAddress?: string;
}

/** Options of {@linkcode listenTls}. */
export interface ListenTlsOptions {
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
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  onConnection(accepted: AcceptedTls): void;
}

/** A listening TLS server. */
export interface TlsServer {
  port: number;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

/**
 * A TLS server for our reference AE (`node:tls`, noDelay on): hands every
 * accepted connection over with the client's certificate chain. Failed
 * handshakes are dropped (the client sees the alert).
 *
 * @example
 * ```ts
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
  });
  server.on("tlsClientError", () => {});
  server.on("secureConnection", (socket: tls.TLSSocket) => {
    socket.setNoDelay(true);
    socket.on("error", () => {});
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
      remoteAddress: socket.remoteAddress,
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

function pem(der: Uint8Array): string {
  return x509.PemConverter.encode(new Uint8Array(der).buffer, "CERTIFICATE");
}
