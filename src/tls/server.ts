import type net from "node:net";
import type { Duplex } from "node:stream";
import type { TlsOutcome, WireObservation } from "../outcome/mod.ts";
import { acceptVerdict } from "./handshake_verdict.ts";
import { WireTap } from "./wire/tap.ts";
import type { TlsVersion } from "./version.ts";
import type { TlsCredentials } from "./credentials.ts";
import { _opensslAccept, _rustlsAccept, type AcceptEnd } from "./_accept.ts";
import { chooseTlsStack, tlsChoice, type TlsParameters, type TlsStackName } from "./stack.ts";
import { _LISTEN_BACKLOG, _Listener, _openFileLimit } from "./_listener.ts";
import { _ConnectionLimits, type LimitHit } from "./_limits.ts";

export type { LimitHit };

/** One accepted TLS connection: the socket and what the peer presented. */
export interface AcceptedTls {
  /** The plaintext side of the established connection (a TLSSocket, or the OpenSSL stack's). */
  socket: Duplex;
  /** The client's certificates, DER, leaf first (empty when it sent none): apply `verifyPeer` to them. */
  peerChain: Uint8Array[];
  /** Protocol and cipher; `status` "established". */
  tls: TlsOutcome;
  /** "127.0.0.1:53122". */
  peer: string;
  /** What was on the wire so far (a snapshot each call): the client's ClientHello, ... */
  wire: () => WireObservation;
}

/** A handshake that did not complete: the TLS stage judged by the wire, and who it was with. */
export interface RefusedTls {
  /** The TLS stack's error (or our handshake deadline's). */
  error: Error;
  /**
   * The TLS stage: not-tls (the client sent nothing, or plain DICOM, HTTP:
   * `firstBytes`), refused-by-peer (the client's alert or close), refused-by-us
   * (our stack refused, e.g. the client's certificate by chain), timeout.
   */
  tls: TlsOutcome;
  /** "127.0.0.1:53122". */
  peer: string;
  /** What was on the wire (TLS 1.2 and below: the client's certificates in the clear). */
  wire: WireObservation;
}

/** A TCP connection whose TLS handshake has not ended yet. */
export interface PendingTls {
  /** "127.0.0.1:53122": the same as its later {@linkcode AcceptedTls} or {@linkcode RefusedTls}. */
  peer: string;
  /**
   * Ends the handshake now, as our deadline does: it goes to `onRefused` as a
   * `timeout` (ours, not the client's refusal), `why` in its error; unless the
   * client already closed or sent its alert, which stays its own act.
   */
  stop(why: string): void;
}

/** Options of {@linkcode listenTls}. */
export interface ListenTlsOptions {
  /** Our certificate, chain and key. */
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
  /** Lowest TLS version accepted; default the stack's. */
  minVersion?: TlsVersion;
  /** Highest TLS version accepted; default the stack's. */
  maxVersion?: TlsVersion;
  /** Stack, versions, suites, groups (OpenSSL is chosen when they need it). */
  tls?: TlsParameters;
  /** Longest time from accept to the end of the handshake; the socket is then closed. Default 15 000. */
  handshakeTimeoutMs?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /**
   * Called as each TCP connection is accepted, before its handshake; it then
   * goes to `onConnection` or `onRefused`, under the same `peer`.
   */
  onAccepted?(pending: PendingTls): void;
  /** Called with each connection whose handshake completed. */
  onConnection(accepted: AcceptedTls): void;
  /** A handshake that failed (the client got the alert, or a close). */
  onRefused?(refused: RefusedTls): void;
  /**
   * Open connections at most, handshakes included; one more is closed at
   * once (`onLimit`). Default: the process's open-file limit minus 192 (64
   * for files and pipes, 128 for the listen queue), at least 16, so that
   * connections never take the last descriptors.
   */
  maxConnections?: number;
  /** Open connections from one peer address at most; one more is closed at once. Default: no limit. */
  maxConnectionsPerAddress?: number;
  /** A connection closed at once because a limit was reached. */
  onLimit?(limited: LimitHit & { peer: string }): void;
  /** What happened to the listener, in words: out of file descriptors, listening again. */
  onNotice?(message: string): void;
}

/** A listening TLS server. */
export interface TlsServer {
  /** The port it listens on. */
  port: number;
  /** Stops accepting; open connections go on. Resolves once they all closed. */
  stopListening(): Promise<void>;
  /** Stops listening and ends every open connection now. */
  close(): Promise<void>;
}

/**
 * The TLS server of the reference AE (and of the inbound harness): TCP
 * (noDelay on), observed beneath the TLS stack by a {@linkcode WireTap},
 * then `node:tls`. Hands every established connection over with the
 * client's certificate chain and the wire; a handshake that does not
 * complete (refused either way, not TLS at all, or past the deadline,
 * which closes the socket) goes to `onRefused`, judged by the wire.
 * Rejects with the listen error (e.g. the port is taken).
 *
 * @example
 * ```ts
 * import { listenTls } from "./server.ts";
 * import { verifyPeer, type VerificationPolicy } from "./policy.ts";
 * import type { TlsCredentials } from "./credentials.ts";
 * declare const credentials: TlsCredentials;
 * declare const policy: VerificationPolicy;
 * const server = await listenTls({
 *   credentials, requestCert: true,
 *   onConnection: async ({ socket, peerChain }) => {
 *     const v = await verifyPeer({ policy, chain: peerChain, purpose: "client" });
 *     if (!v.ok) socket.destroy();
 *   },
 *   onRefused: ({ tls, peer }) => console.log(peer, tls.status, tls.error),
 * });
 * await server.close();
 * ```
 */
export async function listenTls(options: ListenTlsOptions): Promise<TlsServer> {
  const sockets = new Set<net.Socket>();
  const emptied: (() => void)[] = [];
  const tlsParameters = { min: options.minVersion, max: options.maxVersion, ...options.tls };
  const { stack } = chooseTlsStack({
    ...tlsChoice(tlsParameters),
    credentials: options.credentials,
  });
  const handshake: HandshakeContext = {
    options,
    stack,
    tls: tlsParameters,
    accept: stack === "openssl" ? _opensslAccept : _rustlsAccept,
    deadline: options.handshakeTimeoutMs ?? 15_000,
  };
  const limits = new _ConnectionLimits({
    max: options.maxConnections ?? defaultMaxConnections(),
    maxPerAddress: options.maxConnectionsPerAddress,
  });
  const listener = await _Listener.open({
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    onNotice: options.onNotice,
    onSocket: (socket) => {
      socket.on("error", () => {/* the connection's owner reads errors through its reads */});
      const address = socket.remoteAddress ?? "";
      const hit = limits.admit(address);
      if (hit) {
        socket.destroy();
        options.onLimit?.({ peer: `${address}:${socket.remotePort}`, ...hit });
        return;
      }
      sockets.add(socket);
      socket.once("close", () => {
        sockets.delete(socket);
        limits.release(address);
        if (!sockets.size) emptied.splice(0).forEach((f) => f());
      });
      serveHandshake(socket, handshake);
    },
  });
  const stopListening = () => {
    listener.close();
    return sockets.size ? new Promise<void>((resolve) => emptied.push(resolve)) : Promise.resolve();
  };
  return {
    port: listener.port,
    stopListening,
    close: () => {
      const stopped = stopListening();
      sockets.forEach((s) => s.destroy());
      return stopped;
    },
  };
}

/** What every connection's handshake needs. */
interface HandshakeContext {
  options: ListenTlsOptions;
  stack: TlsStackName;
  tls: TlsParameters;
  accept: typeof _rustlsAccept;
  deadline: number;
}

/**
 * The TLS handshake of one accepted connection, observed beneath the TLS
 * stack, within the deadline (the socket is then closed); hands the
 * connection over, or reports the refusal once the socket closed.
 */
function serveHandshake(socket: net.Socket, context: HandshakeContext): void {
  const { options, stack, deadline } = context;
  socket.setNoDelay(true);
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  const tap = new WireTap({ socket, role: "server", maxRecords: 24 });
  const handshake = context.accept(tap, {
    credentials: options.credentials,
    requestCert: options.requestCert ?? false,
    anchors: options.anchors,
    tls: context.tls,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onEnd: (() => void) | undefined;
  let giveUp: (why: string) => void = () => {};
  const began = performance.now();
  const clientClosed = "the client closed before the TLS handshake completed";
  const late = new Promise<AcceptEnd>((resolve) => {
    giveUp = (why: string) => {
      handshake.stop();
      resolve({ kind: "refused", error: new Error(why) });
    };
    timer = setTimeout(
      () => giveUp(`no TLS handshake within ${deadline} ms: closed by us`),
      deadline,
    );
    // A client that leaves mid-handshake (a FIN after nothing or part of a hello) is not
    // always noticed by the TLS stack: give it a moment, then close rather than wait for the deadline.
    onEnd = () => {
      clearTimeout(timer);
      timer = setTimeout(() => giveUp(clientClosed), 100);
    };
    socket.once("end", onEnd);
  });
  let ended = false;
  handshake.end.then(() => (ended = true));
  options.onAccepted?.({
    peer,
    stop: (why) => {
      if (ended) return; // handed over or refused already: the connection's owner stops it
      clearTimeout(timer);
      // The client's close or reset before ours stays its act; after ours, it is an answer to it.
      if (tap.observation().close.peer) giveUp(clientClosed);
      else giveUp(`no TLS handshake within ${Math.round(performance.now() - began)} ms: ${why}`);
    },
  });
  Promise.race([handshake.end, late]).then((end) => {
    clearTimeout(timer);
    socket.off("end", onEnd!);
    if (end.kind === "refused") {
      // The last records (the client's alert, our close) are in once the socket closed.
      const report = () =>
        options.onRefused?.({
          error: end.error,
          peer,
          tls: { ...acceptVerdict({ error: end.error, wire: tap.observation() }), stack },
          wire: tap.observation(),
        });
      if (socket.destroyed) report();
      else socket.once("close", report);
      return;
    }
    end.socket.on("error", () => {/* the connection's owner reads errors through its reads */});
    // Pausing the plaintext side must hold the peer back through TCP.
    tap.followPauses(end.socket);
    options.onConnection({
      socket: end.socket,
      peerChain: end.peerChain,
      tls: { status: "established", stack, protocol: end.protocol, cipher: end.cipher },
      peer,
      wire: () => tap.observation(),
    });
  });
}

/**
 * Descriptors kept free for everything but open connections: 64 for files,
 * pipes and the TLS helper, and the listen queue, which one accept burst
 * can take before the connections past the limit are closed.
 */
const RESERVED_DESCRIPTORS = 64 + _LISTEN_BACKLOG;

// Connections never take the last descriptors: EMFILE stops Deno's listener (see _Listener).
function defaultMaxConnections(): number {
  const limit = _openFileLimit();
  return limit === undefined ? 1024 : Math.max(16, limit - RESERVED_DESCRIPTORS);
}
