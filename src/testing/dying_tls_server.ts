import net from "node:net";
import tls from "node:tls";
import type { AddressInfo } from "node:net";

/** Options of {@linkcode startDyingTlsServer}. */
export interface DyingTlsServerOptions {
  /** The server's certificate chain and key, PEM. */
  cert: string;
  key: string;
  /** The 1-based connection that is reset (1 is the runner's sanity check). */
  resetConnection: number;
  /** Reset on its ClientHello (no byte sent), or after the handshake, on the A-ASSOCIATE-RQ. */
  when: "client-hello" | "association";
  /** Stop listening too (the SUT dies), or keep answering later connections (it lives on). */
  die: boolean;
}

/** A running {@linkcode startDyingTlsServer}. */
export interface DyingTlsServer {
  port: number;
  /** How many connections it accepted. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A TLS server that completes handshakes (and never answers DICOM), except
 * for one connection, which it resets without a word: on the ClientHello or
 * on the A-ASSOCIATE-RQ. With `die`, it stops listening at that moment: a
 * SUT killed under a case. For tests that a dying target is never a verdict,
 * that a live one that resets a ClientHello still is judged, and that one
 * that never answers DICOM (a TLS front whose backend is down) is not.
 *
 * @example
 * ```ts
 * import { startDyingTlsServer } from "./dying_tls_server.ts";
 * declare const cert: string, key: string;
 * const s = await startDyingTlsServer({ cert, key, resetConnection: 2, when: "client-hello", die: true });
 * await s.close();
 * ```
 */
export async function startDyingTlsServer(o: DyingTlsServerOptions): Promise<DyingTlsServer> {
  const context = tls.createSecureContext({ cert: o.cert, key: o.key });
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((raw) => {
    const n = ++accepted;
    sockets.add(raw);
    raw.on("error", () => {});
    raw.once("close", () => sockets.delete(raw));
    const reset = () => {
      if (o.die) server.close();
      raw.resetAndDestroy();
    };
    if (n === o.resetConnection && o.when === "client-hello") {
      raw.once("data", reset);
      return;
    }
    const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: context });
    secure.on("error", () => {});
    if (n === o.resetConnection) secure.once("data", reset);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}
