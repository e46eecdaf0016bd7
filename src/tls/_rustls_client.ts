import net from "node:net";
import tls from "node:tls";
import { InputError } from "../yaml/input_error.ts";
import { WireTap } from "./wire/tap.ts";
import { _watchAfter, type HandshakeEnd } from "./_handshake_end.ts";
import { peerCertificates } from "./peer_certificates.ts";
import type { TlsVersion } from "./version.ts";

/** What the rustls client handshake needs. */
export interface RustlsHandshakeOptions {
  host: string;
  servername?: string;
  /** Our credentials' context (with its version range), when we present a certificate. */
  secureContext?: tls.SecureContext;
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  timeoutMs: number;
}

/**
 * A client handshake with Deno's `node:tls` (rustls) over the wire tap (or,
 * unobserved, the TCP socket itself).
 * Certificate checks are off: our verifier decides afterwards. Rejects only
 * with an `InputError` when our own stack cannot start (a version it lacks).
 */
export function _rustlsHandshake(
  tap: WireTap | net.Socket,
  o: RustlsHandshakeOptions,
): Promise<HandshakeEnd> {
  return new Promise((resolve, reject) => {
    const servername = o.servername ?? (net.isIP(o.host) ? undefined : o.host);
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect({
        socket: tap,
        ...(servername ? { servername } : {}),
        rejectUnauthorized: false,
        ...(o.secureContext
          ? { secureContext: o.secureContext }
          : { minVersion: o.minVersion, maxVersion: o.maxVersion }),
      });
    } catch (e) {
      tap.destroy();
      return reject(
        new InputError({
          message: `our TLS stack (rustls) cannot start this handshake: ${(e as Error).message}`,
          hint: "check the case's tls: versions",
        }),
      );
    }
    if (tap instanceof WireTap) tap.attachTls(socket);
    const finish = (end: HandshakeEnd) => {
      clearTimeout(timer);
      socket.removeListener("secureConnect", onSecure);
      socket.removeListener("error", onError);
      socket.removeListener("close", onClose);
      if (end.kind !== "done") {
        socket.on("error", () => {});
        socket.destroy();
      }
      resolve(end);
    };
    const onSecure = () => {
      // Deno's TLS reads on while its socket is paused: our consumer's pauses go to the tap.
      if (tap instanceof WireTap) tap.followPauses(socket);
      const c = socket.getCipher() as { standardName?: string; name?: string } | undefined;
      finish({
        kind: "done",
        socket,
        protocol: socket.getProtocol() ?? undefined,
        cipher: c?.standardName ?? c?.name,
        peerChain: peerCertificates(socket),
        after: _watchAfter(socket),
      });
    };
    const onError = (error: Error) => finish({ kind: "error", error });
    const onClose = () => finish({ kind: "closed" });
    const timer = setTimeout(() => finish({ kind: "timeout" }), o.timeoutMs);
    socket.once("secureConnect", onSecure);
    socket.once("error", onError);
    socket.once("close", onClose);
  });
}
