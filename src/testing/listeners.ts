import net from "node:net";
import type { AddressInfo } from "node:net";
import { type ClientHelloInfo, decodeClientHello } from "../tls/wire/mod.ts";

/**
 * How a {@linkcode startListener} treats each connection; `{ answer }`
 * sends those bytes when the first bytes come, then stays silent;
 * `{ respond }` is handed the first TLS record the client sent, whole (its
 * ClientHello, decoded when it is one), the socket and the connection's
 * number (1 is the first), and does what it likes.
 */
export type ListenerBehaviour =
  | "close"
  | "reset"
  | "silent"
  | "http"
  | "reject"
  | { answer: Uint8Array }
  | { respond(first: FirstRecord, socket: net.Socket, connection: number): void };

/** What a {@linkcode startListener} `respond` is handed: the client's first record. */
export interface FirstRecord {
  /** The record's bytes (or the first 64 KiB of what came, when they are not a TLS record). */
  bytes: Uint8Array;
  /** Its ClientHello, decoded; undefined when it is none. */
  clientHello?: ClientHelloInfo;
}

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
  let connections = 0;
  const server = net.createServer((socket) => {
    const n = ++connections;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("close", () => sockets.delete(socket));
    if (typeof behaviour === "object" && "respond" in behaviour) {
      _firstRecord(socket, (first) => behaviour.respond(first, socket, n));
    } else if (typeof behaviour === "object") {
      socket.once("data", () => socket.write(behaviour.answer));
    } else if (behaviour === "close") socket.end();
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

/** Reads until the first TLS record is whole (at most 64 KiB), then hands it over once. */
function _firstRecord(socket: net.Socket, then: (first: FirstRecord) => void): void {
  let got = new Uint8Array(0);
  const onData = (chunk: Uint8Array) => {
    got = new Uint8Array([...got, ...chunk]);
    const length = got.length >= 5 ? 5 + ((got[3] << 8) | got[4]) : Infinity;
    if (got.length < Math.min(length, 65_536)) return;
    socket.off("data", onData);
    const bytes = got.subarray(0, Math.min(length, got.length));
    const decoded = bytes[0] === 22 && bytes[5] === 1
      ? decodeClientHello(bytes.subarray(9))
      : undefined;
    then({ bytes, ...(decoded && !("error" in decoded) ? { clientHello: decoded } : {}) });
  };
  socket.on("data", onData);
}
