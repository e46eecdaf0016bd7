import type net from "node:net";
import { Duplex } from "node:stream";
import { setTimeout } from "node:timers";
import type tls from "node:tls";
import type { AlertInfo } from "./alert.ts";
import type { HandshakeMessage } from "./handshake.ts";
import type { WireDirectionName, WireObservation } from "./observation.ts";
import { WireObserver } from "./observer.ts";

/**
 * How long a tap destroyed by its TLS layer waits at most for its last
 * records to go out (a peer that stops reading cannot hold it longer).
 *
 * @example
 * ```ts
 * CLOSE_GRACE_MS; // 2000
 * ```
 */
export const CLOSE_GRACE_MS = 2000;

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
  /** Set while the plaintext side's consumer holds reading back (see holdReading). */
  #held = false;
  #tlsAttached = false;
  /** Writes handed to the socket so far, and whether one waits for 'drain'. */
  #writes = 0;
  #writing = false;
  /** Set while a destroy by the TLS layer waits for its last records to go out. */
  #closing?: { error?: Error; timer: ReturnType<typeof setTimeout> };

  /** A tap over a connected or accepted TCP socket. */
  constructor(options: WireTapOptions) {
    // The tap behaves as the socket did (allowHalfOpen false: end our side
    // after the peer's FIN, once our writes are out); the socket itself must
    // not end on its own ahead of writes still coming through the tap.
    super({ allowHalfOpen: options.socket.allowHalfOpen });
    const socket = options.socket;
    socket.allowHalfOpen = true;
    this.#socket = socket;
    this.#observer = new WireObserver(options);
    // Bytes go on first and are observed after: the observer never delays them.
    socket.on("data", (chunk: Uint8Array) => {
      const more = this.push(chunk);
      this.#observer.received(chunk);
      if (!more) {
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
    // A socket handed over after its peer already ended or it closed.
    if (socket.readableEnded) {
      this.#observer.peerClosed("fin");
      this.push(null);
    }
    if (socket.destroyed) queueMicrotask(() => this.destroy());
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
   * Declares that a TLS layer will run on this tap before its socket is at
   * hand (a `tls.Server` fed the tap makes its own): a destroy from that
   * layer then waits for its last records (a refusal's alert) as after
   * {@linkcode WireTap.attachTls}. Call `attachTls` once the socket is known.
   */
  expectTls(): void {
    this.#tlsAttached = true;
    this.allowHalfOpen = true;
  }

  /**
   * Binds the TLS socket built on this tap: the TLS layer alone decides when
   * our side ends (after its pending data and close_notify, also once the
   * peer has ended), and then the tap ends the TCP socket: Deno's `node:tls`
   * does not end a wrapped stream itself (Node's does; doing it twice is harmless).
   */
  attachTls(socket: tls.TLSSocket): void {
    this.#tlsAttached = true;
    // The TLS layer decides when to end: after its pending data and close_notify.
    this.allowHalfOpen = true;
    socket.once("finish", () => this.#endWhenFlushed());
  }

  /**
   * Destroys the tap and the TCP socket. When the TLS layer destroys it (its
   * side is done, or a handshake failed), it may still be writing its last
   * records through the tap (data, close_notify, an alert), which Deno's
   * `node:tls` does after the destroy: the tap then closes once they are
   * out, with a FIN, as a native socket would (at most {@linkcode CLOSE_GRACE_MS} later).
   */
  override destroy(error?: Error): this {
    if (this.#tlsAttached && !this.#closing && !this.destroyed && !this.#socket.destroyed) {
      const timer = setTimeout(() => super.destroy(error), CLOSE_GRACE_MS);
      timer.unref();
      this.#closing = { error, timer };
      setImmediate(() => this.#closeWhenIdle(-1));
      return this;
    }
    return super.destroy(error);
  }

  /**
   * Stops (`true`) or resumes (`false`) reading the TCP socket, whatever the
   * TLS layer above asks: Deno's `node:tls` keeps reading its stream while
   * its own consumer is paused and buffers without bound, so the consumer's
   * backpressure is passed down here instead.
   */
  holdReading(held: boolean): void {
    this.#held = held;
    if (held) this.#socket.pause();
    else if (!this.#paused) this.#socket.resume();
  }

  /**
   * Holds reading the TCP socket whenever `plaintext` (the TLS socket on
   * this tap) is paused, and resumes when it is resumed: its consumer's
   * backpressure then reaches the peer through TCP (see
   * {@linkcode WireTap.holdReading}).
   */
  followPauses(plaintext: Duplex): void {
    // A 'resume' scheduled before a pause comes after it: the state decides.
    const follow = () => this.holdReading(plaintext.isPaused());
    plaintext.on("pause", follow);
    plaintext.on("resume", follow);
  }

  /** Resumes the socket when the consumer reads again. */
  override _read(): void {
    if (this.#paused) {
      this.#paused = false;
      if (!this.#held) this.#socket.resume();
    }
  }

  /** Forwards our bytes to the socket, observed, waiting for drain. */
  override _write(chunk: Uint8Array, _encoding: string, done: (error?: Error | null) => void) {
    const socket = this.#socket;
    if (socket.destroyed || socket.writableEnded) {
      done(new Error("Cannot write: the TCP socket is closed"));
      return;
    }
    this.#writes++;
    const more = socket.write(chunk);
    this.#observer.sent(chunk);
    if (more) {
      done();
      return;
    }
    // The socket's buffer is full: accept more only once it drained (or closed).
    this.#writing = true;
    const finish = (error?: Error) => {
      this.#writing = false;
      socket.off("drain", onDrain);
      socket.off("close", onClose);
      done(error);
    };
    const onDrain = () => finish();
    const onClose = () => finish(new Error("Cannot write: the TCP socket closed"));
    socket.once("drain", onDrain);
    socket.once("close", onClose);
  }

  /** Ends the TCP socket once our side ended. */
  override _final(done: (error?: Error | null) => void): void {
    if (!this.#socket.destroyed && !this.#socket.writableEnded) this.#observer.weClosed("end");
    this.#socket.end(() => done());
  }

  /** Destroys the TCP socket too. */
  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (this.#closing) clearTimeout(this.#closing.timer);
    if (!this.#socket.destroyed) {
      this.#observer.weClosed("destroy");
      this.#socket.destroy();
    }
    done(error);
  }

  // Idle: no write queued, none waiting for the socket, none new since the
  // last look (the TLS layer writes from callbacks and microtasks, so one
  // turn of the event loop without a write means it has nothing more).
  #closeWhenIdle(seen: number): void {
    const closing = this.#closing!;
    if (this.destroyed) return;
    if (this.#writing) {
      this.#socket.once("drain", () => setImmediate(() => this.#closeWhenIdle(this.#writes)));
    } else if (this.writableLength > 0 || this.#writes !== seen) {
      setImmediate(() => this.#closeWhenIdle(this.#writes));
    } else if (this.#socket.writableEnded) {
      super.destroy(closing.error);
    } else {
      this.#observer.weClosed("end");
      this.#socket.end(() => super.destroy(closing.error));
    }
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
