import net from "node:net";
import type { AddressInfo } from "node:net";

/**
 * How a {@linkcode startListener} treats each connection; `{ answer }`
 * sends those bytes when the first bytes come, then stays silent.
 */
export type ListenerBehaviour =
  | "close"
  | "reset"
  | "silent"
  | "http"
  | "reject"
  | { answer: Uint8Array };

// A-ASSOCIATE-RJ (PS3.8 9.3.4): rejected-permanent, service-user, called-ae-title-not-recognized.
const ASSOCIATE_RJ = new Uint8Array([0x03, 0, 0, 0, 0, 4, 0, 1, 1, 7]);

/** A loopback listener that misbehaves on purpose; `close()` ends it and its connections. */
export interface Listener {
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP listener that is not a TLS server: it closes each connection at
 * once (a proxy whose backend is down), resets it when the first bytes
 * come, keeps it open and never answers, answers like an HTTP server, or
 * answers like a plain DICOM port that rejects every association. For
 * tests that a tester must not read as a TLS refusal.
 *
 * @example
 * ```ts
 * import { startListener } from "./listeners.ts";
 * const l = await startListener("reset");
 * // ... connect to 127.0.0.1:l.port ...
 * await l.close();
 * ```
 */
export async function startListener(behaviour: ListenerBehaviour): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("close", () => sockets.delete(socket));
    if (typeof behaviour === "object") socket.once("data", () => socket.write(behaviour.answer));
    else if (behaviour === "close") socket.end();
    else if (behaviour === "reject") socket.once("data", () => socket.end(ASSOCIATE_RJ));
    else if (behaviour === "reset") socket.once("data", () => socket.resetAndDestroy());
    else if (behaviour === "http") {
      socket.once(
        "data",
        () =>
          socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
