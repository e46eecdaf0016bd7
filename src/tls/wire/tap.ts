import type net from "node:net";
import { Duplex } from "node:stream";
import type tls from "node:tls";
import type { AlertInfo } from "./alert.ts";
import type { HandshakeMessage } from "./handshake.ts";
import type { WireDirectionName, WireObservation } from "./observation.ts";
import { WireObserver } from "./observer.ts";

/** Options of {@linkcode WireTap}. */
export interface WireTapOptions {
  /** The TCP socket, connected (client role) or accepted (server role). */
  socket: net.Socket;
  /** Our TLS role (in plain DICOM mode: "client" for the requestor, "server" for the acceptor). */
  role: "client" | "server";
  /** Records listed at most in the observation; default 64. */
  maxRecords?: number;
  /** Called for each plaintext handshake message as it passes. */
  onHandshake?(message: HandshakeMessage, direction: WireDirectionName): void;
  /** Called for each plaintext alert as it passes. */
  onAlert?(alert: AlertInfo, direction: WireDirectionName): void;
}

/**
 * A `node:stream` Duplex between a `net.Socket` and `node:tls` that forwards
 * every byte both ways unchanged and observes them
 * ({@linkcode WireObservation}): records, hellos, alerts, first bytes, who
 * closed first. Backpressure passes through (a consumer that stops reading
 * pauses the socket; a full socket delays the writer), and end, close and
 * errors pass both ways.
 *
 * Client role: `tls.connect({ socket: tap, ... })`; server role:
 * `new tls.TLSSocket(tap, { isServer: true, ... })`; then call
 * {@linkcode WireTap.attachTls} with the TLS socket. Without TLS (plain
 * DICOM), use the tap itself as the socket.
 *
 * @example
 * ```ts
 * import net from "node:net";
 * import tls from "node:tls";
 * const socket = net.connect({ host: "127.0.0.1", port: 2762, noDelay: true });
 * await new Promise((resolve) => socket.once("connect", resolve));
 * const tap = new WireTap({ socket, role: "client" });
 * const secure = tls.connect({ socket: tap, rejectUnauthorized: false });
 * tap.attachTls(secure);
 * secure.once("close", () => console.log(tap.peerSpokeTls, tap.observation().serverHello?.version.name));
 * ```
 */
export class WireTap extends Duplex {
  #socket: net.Socket;
  #observer: WireObserver;
  #paused = false;

  constructor(options: WireTapOptions) {
    super({ allowHalfOpen: true });
    const socket = options.socket;
    this.#socket = socket;
    this.#observer = new WireObserver(options);
    socket.on("data", (chunk: Uint8Array) => {
      this.#observer.received(chunk);
      if (!this.push(chunk)) {
        this.#paused = true;
        socket.pause();
      }
    });
    socket.once("end", () => {
      this.#observer.peerClosed("fin");
      this.push(null);
    });
    socket.once("error", (error: Error & { code?: string }) => {
      const how = error.code === "ECONNRESET" ? "reset" : "error";
      this.#observer.peerClosed(how, error.message);
      this.destroy(error);
    });
    socket.once("close", () => {
      this.#observer.socketClosed();
      // Let the consumer read what came before the close; then close the tap.
      if (this.readableEnded || this.destroyed) this.destroy();
      else this.once("end", () => this.destroy());
    });
  }

  /** Whether the peer sent at least one whole, valid TLS record. */
  get peerSpokeTls(): boolean {
    return this.#observer.peerSpokeTls;
  }

  /** What was seen so far: a snapshot of plain data. */
  observation(): WireObservation {
    return this.#observer.observation();
  }

  /**
   * Binds the TLS socket built on this tap: when it ends its writable side
   * (after its close_notify), the tap ends the TCP socket. Deno's `node:tls`
   * does not end a wrapped stream itself (Node's does; doing it twice is harmless).
   */
  attachTls(socket: tls.TLSSocket): void {
    socket.once("finish", () => this.#endWhenFlushed());
  }

  override _read(): void {
    if (this.#paused) {
      this.#paused = false;
      this.#socket.resume();
    }
  }

  override _write(chunk: Uint8Array, _encoding: string, done: (error?: Error | null) => void) {
    const socket = this.#socket;
    if (socket.destroyed || socket.writableEnded) {
      done(new Error("Cannot write: the TCP socket is closed"));
      return;
    }
    this.#observer.sent(chunk);
    if (socket.write(chunk)) {
      done();
      return;
    }
    // The socket's buffer is full: accept more only once it drained (or closed).
    const finish = (error?: Error) => {
      socket.off("drain", onDrain);
      socket.off("close", onClose);
      done(error);
    };
    const onDrain = () => finish();
    const onClose = () => finish(new Error("Cannot write: the TCP socket closed"));
    socket.once("drain", onDrain);
    socket.once("close", onClose);
  }

  override _final(done: (error?: Error | null) => void): void {
    if (!this.#socket.destroyed && !this.#socket.writableEnded) this.#observer.weClosed("end");
    this.#socket.end(() => done());
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (!this.#socket.destroyed) {
      this.#observer.weClosed("destroy");
      this.#socket.destroy();
    }
    done(error);
  }

  // The TLS layer writes its close_notify through its own queue after
  // 'finish', when its previous write completed: end behind a zero-length
  // marker write until nothing more was queued, never ahead of a write.
  #endWhenFlushed(): void {
    setImmediate(() => {
      if (this.writableEnded || this.destroyed) return;
      if (this.writableLength === 0) this.end();
      else this.write(new Uint8Array(0), () => this.#endWhenFlushed());
    });
  }
}
