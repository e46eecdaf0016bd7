import type { Duplex } from "node:stream";
import type tls from "node:tls";
import type { TlsCredentials } from "./credentials.ts";
import { OpenSslError, sharedOpenSsl } from "./openssl/mod.ts";
import { peerCertificates } from "./peer_certificates.ts";
import { opensslChoice, tlsChoice, type TlsParameters } from "./stack.ts";
import type { WireTap } from "./wire/tap.ts";
import { _contextServer } from "./_secure_context.ts";
import { _negotiated } from "./_openssl_client.ts";

/** How a server handshake ended: established (the plaintext side), or refused with the stack's error. */
export type AcceptEnd =
  | { kind: "done"; socket: Duplex; protocol?: string; cipher?: string; peerChain: Uint8Array[] }
  | { kind: "refused"; error: Error };

/** What a server handshake needs. */
export interface AcceptOptions {
  credentials: TlsCredentials;
  requestCert: boolean;
  /** Refuse, inside the handshake, client certificates that do not chain to these (rustls). */
  anchors?: Uint8Array[];
  tls: TlsParameters;
}

/**
 * A server handshake on the tap with Deno's rustls: a `tls.Server` per
 * connection, fed the tap, so that its events are this connection's alone
 * (a TLSSocket made directly on the tap does not verify client
 * certificates in Deno; a server does). `stop` gives up the handshake.
 */
export function _rustlsAccept(tap: WireTap, o: AcceptOptions): {
  end: Promise<AcceptEnd>;
  stop: () => void;
} {
  const strict = o.requestCert && o.anchors !== undefined;
  const server = _contextServer(o.credentials, {
    minVersion: o.tls.min,
    maxVersion: o.tls.max,
    ...(strict ? { anchors: o.anchors } : {}),
    requestCert: o.requestCert,
    rejectUnauthorized: strict,
  });
  // Deno's TLS server destroys the stream on a refusal before it writes its alert.
  tap.expectTls();
  const end = new Promise<AcceptEnd>((resolve) => {
    server.on("tlsClientError", (error: Error, secure: tls.TLSSocket) => {
      // Through the TLS socket: its alert goes out before the FIN.
      secure.destroy();
      resolve({ kind: "refused", error });
    });
    server.on("secureConnection", (secure: tls.TLSSocket) => {
      tap.attachTls(secure);
      const c = secure.getCipher() as { standardName?: string; name?: string } | undefined;
      resolve({
        kind: "done",
        socket: secure,
        protocol: secure.getProtocol() ?? undefined,
        cipher: c?.standardName ?? c?.name,
        peerChain: peerCertificates(secure),
      });
    });
  });
  server.emit("connection", tap);
  return { end, stop: () => tap.destroy() };
}

/**
 * A server handshake on the tap with the OpenSSL stack: it offers exactly
 * the versions, suites and groups asked, at security level 0, and asks for
 * a client certificate without judging it (our verifier does).
 */
export function _opensslAccept(tap: WireTap, o: AcceptOptions): {
  end: Promise<AcceptEnd>;
  stop: () => void;
} {
  const end = (async (): Promise<AcceptEnd> => {
    try {
      const engine = await sharedOpenSsl();
      const hs = await engine.accept({
        ciphertext: tap,
        cert: o.credentials.cert,
        key: o.credentials.key,
        requestCert: o.requestCert,
        ...opensslChoice(tlsChoice(o.tls)),
      });
      return { kind: "done", ..._negotiated(hs) };
    } catch (e) {
      if (!(e instanceof OpenSslError)) throw e;
      tap.destroy();
      return { kind: "refused", error: e };
    }
  })();
  return { end, stop: () => tap.destroy() };
}
