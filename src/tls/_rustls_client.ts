import net from "node:net";
import tls from "node:tls";
import { InputError } from "../yaml/input_error.ts";
import { WireTap } from "./wire/tap.ts";
import type { TlsVersion } from "./version.ts";

/** How a handshake attempt ended, before any verdict. */
export type HandshakeEnd =
  /** Our side completed; `after` collects what came before the caller took over. */
  | { kind: "done"; socket: tls.TLSSocket; after: { error?: Error; closed: boolean } }
  /** The TLS stack failed (an alert either way, a reset, bytes that are not TLS). */
  | { kind: "error"; error: Error }
  /** The connection closed with no error. */
  | { kind: "closed" }
  | { kind: "timeout" };

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
      // Keep what comes before the caller takes over (a TLS 1.3 refusal of our
      // certificate arrives right after the handshake); later errors are theirs.
      const after: { error?: Error; closed: boolean } = { closed: false };
      socket.on("error", (e: Error) => after.error ??= e);
      socket.once("close", () => after.closed = true);
      finish({ kind: "done", socket, after });
    };
    const onError = (error: Error) => finish({ kind: "error", error });
    const onClose = () => finish({ kind: "closed" });
    const timer = setTimeout(() => finish({ kind: "timeout" }), o.timeoutMs);
    socket.once("secureConnect", onSecure);
    socket.once("error", onError);
    socket.once("close", onClose);
  });
}
