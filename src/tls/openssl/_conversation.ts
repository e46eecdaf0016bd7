import net from "node:net";
import { Duplex } from "node:stream";
import { AlertScanner } from "./_alert_scanner.ts";
import {
  type ControlMessage,
  CreditReturn,
  decodeControl,
  encodeControl,
  encodeData,
  FRAME,
  FrameDecoder,
  type FrameType,
  SendWindow,
} from "./_frames.mjs";
import { classifyHelperError, type HelperErrorFacts, OpenSslError } from "./errors.ts";
import type { EphemeralKey, OpenSslHandshake } from "./handshake.ts";
import type { OpenRequest } from "./options.ts";

/** Options of {@linkcode runConversation}. */
export interface ConversationOptions {
  /** The helper's Unix socket. */
  socketPath: string;
  ciphertext: Duplex;
  open: OpenRequest;
  timeoutMs?: number;
  /** Why the helper cannot be reached, when it is known to be gone. */
  helperGone: () => string | undefined;
}

/**
 * Runs one TLS conversation through the helper: relays `ciphertext` both
 * ways, resolves with the handshake result and the plaintext Duplex, or
 * rejects with a typed {@linkcode OpenSslError}; on failure the TCP side is
 * ended (after the alert we sent) and the helper's connection closed.
 */
export function runConversation(options: ConversationOptions): Promise<OpenSslHandshake> {
  return new Promise((resolve, reject) => new _Conversation(options, resolve, reject));
}

/** A listener as `node:stream` types it. */
type _Listener = Parameters<Duplex["on"]>[1];

class _Conversation {
  #options: ConversationOptions;
  #resolve: (h: OpenSslHandshake) => void;
  #reject: (e: Error) => void;
  #uds: net.Socket;
  #ciphertext: Duplex;
  #decoder = new FrameDecoder();
  #sent = new AlertScanner();
  #received = new AlertScanner();
  /** Whose fatal alert crossed the wire first: a peer's alert that answers ours refused nothing. */
  #firstFatal?: "sent" | "received";
  // Flow control per stream (see _frames.mjs).
  #sendCiphertext = new SendWindow(() => this.#ciphertext.resume());
  #sendPlaintext = new SendWindow(() => this.#releaseWrite());
  #receivedCiphertext = new CreditReturn((bytes) => this.#credit(FRAME.CIPHERTEXT, bytes));
  #receivedPlaintext = new CreditReturn((bytes) => this.#credit(FRAME.PLAINTEXT, bytes));
  #pendingWrite?: () => void;
  #started = performance.now();
  #timer?: ReturnType<typeof setTimeout>;
  #settled = false;
  #done = false;
  #plaintext?: Duplex;
  #transportClosed?: string;
  /** The caller destroyed the TCP socket (gave up) before the handshake was done. */
  #closedByUs = false;
  #ciphertextEndSent = false;
  #helperEndedCiphertext = false;
  #pendingFinal?: (error?: Error | null) => void;
  #listeners: [string, _Listener][] = [];

  constructor(
    options: ConversationOptions,
    resolve: (h: OpenSslHandshake) => void,
    reject: (e: Error) => void,
  ) {
    this.#options = options;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#ciphertext = options.ciphertext;
    this.#uds = net.connect({ path: options.socketPath });
    this.#uds.on("error", (e) => this.#onHelperClosed(e));
    this.#uds.on("close", () => this.#onHelperClosed());
    this.#uds.on("data", (chunk: Uint8Array) => this.#onHelperBytes(chunk));
    this.#uds.write(encodeControl(options.open));
    this.#hookCiphertext();
    if (options.timeoutMs !== undefined) {
      this.#timer = setTimeout(() => {
        this.#fail(
          new OpenSslError(`no TLS handshake within ${options.timeoutMs} ms`, {
            kind: "timeout",
            phase: "handshake",
          }),
        );
      }, options.timeoutMs);
    }
  }

  // ---- the TCP side --------------------------------------------------------

  #hookCiphertext(): void {
    const c = this.#ciphertext;
    const on = (event: string, listener: _Listener) => {
      c.on(event, listener);
      this.#listeners.push([event, listener]);
    };
    on("data", (chunk: Uint8Array) => {
      this.#received.push(chunk);
      if (this.#received.fatal) this.#firstFatal ??= "received";
      this.#sendData(FRAME.CIPHERTEXT, chunk);
      if (!this.#sendCiphertext.take(chunk.length)) c.pause();
    });
    on("end", () => this.#endCiphertext("the peer ended the TCP connection"));
    on("error", (e: Error) => this.#endCiphertext(`TCP: ${e.message}`));
    // A close with neither an end nor an error: destroyed on our side.
    on("close", () => {
      if (!this.#transportClosed) this.#closedByUs = true;
      this.#endCiphertext("the TCP connection was closed on our side");
    });
    if (c.readableEnded || c.destroyed) this.#endCiphertext("the TCP connection was closed");
    // OpenSSL decides when our side ends (after close_notify or an alert), as
    // node:tls does with its socket: the peer's FIN must not end it first.
    (c as { allowHalfOpen?: boolean }).allowHalfOpen = true;
  }

  #endCiphertext(why: string): void {
    this.#transportClosed ??= why;
    if (this.#ciphertextEndSent) return;
    this.#ciphertextEndSent = true;
    this.#control({ type: "ciphertext-end" });
  }

  // ---- the helper side -----------------------------------------------------

  // The Unix socket's own buffer needs no watching: the windows bound it.
  #sendData(type: FrameType, data: Uint8Array): void {
    if (this.#uds.destroyed) return;
    for (const frame of encodeData(type, data)) this.#uds.write(frame);
  }

  #credit(frame: FrameType, bytes: number): void {
    this.#control({ type: "credit", frame, bytes });
  }

  #releaseWrite(): void {
    const done = this.#pendingWrite;
    this.#pendingWrite = undefined;
    done?.();
  }

  #control(message: ControlMessage): void {
    if (!this.#uds.destroyed) this.#uds.write(encodeControl(message));
  }

  #onHelperBytes(chunk: Uint8Array): void {
    try {
      for (const frame of this.#decoder.push(chunk)) {
        if (this.#done) return;
        if (frame.type === FRAME.CONTROL) this.#onControl(decodeControl(frame.payload));
        else if (frame.type === FRAME.CIPHERTEXT) this.#onCiphertext(frame.payload);
        else this.#onPlaintext(frame.payload);
      }
    } catch (e) {
      this.#fail(
        new OpenSslError(`helper protocol: ${(e as Error).message}`, {
          kind: "local",
          phase: "helper",
        }),
      );
    }
  }

  #onCiphertext(payload: Uint8Array): void {
    this.#sent.push(payload);
    if (this.#sent.fatal) this.#firstFatal ??= "sent";
    const c = this.#ciphertext;
    if (c.destroyed || c.writableEnded) return;
    const credit = this.#receivedCiphertext;
    const wasBlocked = credit.blocked;
    credit.delivered(payload.length, c.write(payload));
    if (!wasBlocked && credit.blocked) c.once("drain", () => credit.drained());
  }

  #onPlaintext(payload: Uint8Array): void {
    if (!this.#plaintext) return;
    this.#receivedPlaintext.delivered(payload.length, this.#plaintext.push(payload));
  }

  #onControl(message: ControlMessage): void {
    switch (message.type) {
      case "handshake":
        return this.#onHandshake(message);
      case "error":
        return this.#fail(classifyHelperError(message as unknown as HelperErrorFacts, {
          sent: this.#sent.fatal,
          received: this.#firstFatal === "received" ? this.#received.fatal : undefined,
          transportClosed: this.#transportClosed,
        }));
      case "credit": {
        const window = message.frame === FRAME.CIPHERTEXT
          ? this.#sendCiphertext
          : this.#sendPlaintext;
        window.give(Number(message.bytes) || 0);
        return;
      }
      case "plaintext-end":
        this.#plaintext?.push(null);
        return;
      case "ciphertext-end":
        this.#helperEndedCiphertext = true;
        if (!this.#ciphertext.destroyed) this.#ciphertext.end();
        this.#pendingFinal?.();
        this.#pendingFinal = undefined;
    }
  }

  #onHandshake(facts: ControlMessage): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    const cipher = facts.cipher as { standardName?: string; name?: string };
    const key = facts.ephemeralKey as EphemeralKey | null;
    const chain = (facts.peerChain as string[]).map((b64) =>
      Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))
    );
    this.#plaintext = this.#makePlaintext();
    this.#resolve({
      plaintext: this.#plaintext,
      protocol: String(facts.protocol),
      cipher: { standardName: cipher.standardName ?? "", name: cipher.name ?? "" },
      ...(key ? { ephemeralKey: key } : {}),
      peerChain: chain,
      peerCertificate: chain.length > 0,
      sessionReused: facts.sessionReused === true,
      ...(facts.alpn ? { alpn: String(facts.alpn) } : {}),
      ...(facts.servername ? { servername: String(facts.servername) } : {}),
      sharedSigalgs: (facts.sharedSigalgs as string[]) ?? [],
      handshakeMs: performance.now() - this.#started,
    });
  }

  #makePlaintext(): Duplex {
    return new Duplex({
      // As a TLSSocket: the peer's end ends our side too.
      allowHalfOpen: false,
      read: () => this.#receivedPlaintext.drained(),
      write: (chunk: Uint8Array, _encoding, callback) => {
        this.#sendData(FRAME.PLAINTEXT, chunk);
        if (this.#sendPlaintext.take(chunk.length) || this.#uds.destroyed) callback();
        else this.#pendingWrite = callback;
      },
      // Done once the helper flushed our close_notify to the TCP socket.
      final: (callback) => {
        if (this.#helperEndedCiphertext || this.#uds.destroyed) return callback();
        this.#pendingFinal = callback;
        this.#control({ type: "plaintext-end" });
      },
      destroy: (error, callback) => {
        this.#finish();
        callback(error);
      },
    });
  }

  #onHelperClosed(error?: Error): void {
    if (this.#done) return;
    if (!this.#settled) {
      const gone = this.#options.helperGone();
      const why = gone ?? (error ? error.message : "it closed the conversation");
      // The helper ends a conversation whose peer left mid-handshake without an error.
      const peerLeft = !gone && !error && this.#transportClosed;
      this.#fail(
        peerLeft
          ? new OpenSslError(
            `the peer closed the connection without an alert (${this.#transportClosed})`,
            { kind: "peer-closed", phase: "handshake", alertSent: this.#sent.fatal },
          )
          : new OpenSslError(`the OpenSSL helper is not available: ${why}`, {
            kind: "local",
            phase: "helper",
          }),
      );
      return;
    }
    const p = this.#plaintext!;
    this.#pendingFinal?.();
    this.#pendingFinal = undefined;
    if (!p.readableEnded && !p.destroyed) {
      const gone = this.#options.helperGone();
      if (gone) {
        p.destroy(
          new OpenSslError(`the OpenSSL helper is not available: ${gone}`, {
            kind: "local",
            phase: "helper",
          }),
        );
      } else p.push(null);
    }
    this.#finish();
  }

  #fail(error: OpenSslError): void {
    if (!this.#settled && this.#closedByUs && error.kind !== "timeout") {
      error = new OpenSslError("the TCP connection was closed on our side during the handshake", {
        kind: "local",
        phase: "handshake",
      });
    }
    if (!this.#settled) {
      this.#settled = true;
      clearTimeout(this.#timer);
      this.#finish();
      this.#reject(error);
    } else if (this.#plaintext && !this.#plaintext.destroyed) {
      this.#plaintext.destroy(error);
    } else this.#finish();
  }

  /** Frees the helper's side and ends the TCP side (after what we already wrote to it). */
  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    for (const [event, listener] of this.#listeners) this.#ciphertext.off(event, listener);
    this.#ciphertext.on("error", () => {});
    this.#uds.destroy();
    _closeTransport(this.#ciphertext);
  }
}

// end() flushes the alert or close_notify we wrote, then the socket is freed;
// a peer that never reads cannot keep it open longer than the fallback.
function _closeTransport(socket: Duplex): void {
  if (socket.destroyed) return;
  if (!socket.writableEnded) socket.end();
  if (socket.writableFinished) return void socket.destroy();
  const fallback = setTimeout(() => socket.destroy(), 2000);
  socket.once("finish", () => (clearTimeout(fallback), socket.destroy()));
  socket.once("close", () => clearTimeout(fallback));
}
