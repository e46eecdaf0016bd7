import net from "node:net";
import type { AlertInfo } from "./alert.ts";
import type { FirstBytes } from "./first_bytes.ts";
import type { WireObservation } from "./observation.ts";
import { WireObserver } from "./observer.ts";
import type { ServerHelloInfo } from "./server_hello.ts";

/** Options of {@linkcode probeHello}. */
export interface ProbeHelloOptions {
  /** The target host. */
  host: string;
  /** The target port. */
  port: number;
  /** The ClientHello records to send ({@linkcode buildClientHello}). */
  hello: Uint8Array;
  /** Deadline for connect, send and answer together. */
  timeoutMs: number;
  /** Bytes read at most (a certificate chain fits); default 256 KiB. */
  maxBytes?: number;
  /**
   * With TLS 1.2 and below, keep reading after the ServerHello until
   * ServerHelloDone, for the certificates, key exchange and certificate
   * request (default true). TLS 1.3 always stops at the ServerHello.
   */
  untilServerHelloDone?: boolean;
}

/** How a probe ended. */
export type ProbeStatus =
  /** The server chose a version and suite: they are accepted. */
  | "server-hello"
  /** TLS 1.3: the server wants a key share for another group (`helloRetryRequest.selectedGroup`). */
  | "hello-retry-request"
  /** The server refused with a plaintext alert. */
  | "alert"
  /** The server closed or reset without a TLS answer (`peerSent` says whether anything came). */
  | "closed"
  /** The server answered with bytes that are not TLS (`firstBytes`). */
  | "not-tls"
  | "timeout"
  /** TCP connect failed (`error`). */
  | "tcp-error";

/** What {@linkcode probeHello} found. */
export interface ProbeResult {
  /** What answered the hello. */
  status: ProbeStatus;
  /** The ServerHello, decoded. */
  serverHello?: ServerHelloInfo;
  /** A HelloRetryRequest, decoded. */
  helloRetryRequest?: ServerHelloInfo;
  /** The first plaintext alert the server sent. */
  alert?: AlertInfo;
  /** What the peer sent before it ended: "nothing", TLS records, or other bytes. */
  peerSent: "nothing" | "tls" | "non-tls";
  /** The server's first bytes, classified, when it sent any. */
  firstBytes?: FirstBytes;
  /** How the peer ended the connection, if it did before we stopped. */
  peerClosed?: "fin" | "reset" | "error";
  /** Socket error text (tcp-error) or why reading stopped early. */
  error?: string;
  /** Milliseconds the probe took. */
  durationMs: number;
  /** Everything seen on the wire (records, certificates, key exchange, certificate request). */
  observation: WireObservation;
}

/**
 * Sends one ClientHello over TCP and reads just enough of the answer
 * (bounded in bytes and time) to say what the server did with it: a
 * ServerHello (accepted), a HelloRetryRequest, an alert, a close, or bytes
 * that are not TLS. It never completes a handshake, so it works against
 * servers that require a client certificate. Never rejects.
 *
 * @example
 * ```ts
 * import { buildClientHello } from "./client_hello_builder.ts";
 * const hello = buildClientHello({ version: "TLSv1", cipherSuites: ["AES128-SHA"] });
 * const result = await probeHello({ host: "127.0.0.1", port: 2762, hello, timeoutMs: 3000 });
 * console.log(result.status, result.serverHello?.cipherSuite.name, result.alert?.description.name);
 * ```
 */
export function probeHello(options: ProbeHelloOptions): Promise<ProbeResult> {
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const started = performance.now();
  let done = false;
  let sawHelloDone = false;
  const observer = new WireObserver({
    role: "client",
    onHandshake: (m, direction) => {
      if (direction === "received" && m.type === 14) sawHelloDone = true;
    },
  });
  return new Promise<ProbeResult>((resolve) => {
    const socket = net.connect({ host: options.host, port: options.port, noDelay: true });
    const finish = (status?: ProbeStatus, error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(_result(observer, status, error, performance.now() - started));
    };
    const timer = setTimeout(() => finish("timeout"), options.timeoutMs);
    let connected = false;
    socket.once("connect", () => {
      connected = true;
      observer.sent(options.hello);
      socket.write(options.hello);
    });
    socket.on("data", (chunk: Uint8Array) => {
      observer.received(chunk);
      const o = observer.peek();
      const untilDone = options.untilServerHelloDone ?? true;
      if (
        o.received.notTls || o.alerts.length > 0 || o.helloRetryRequest || o.tls13Encrypted ||
        (o.serverHello && (!untilDone || sawHelloDone)) || o.received.bytes >= maxBytes ||
        o.received.encryptedRecords > 0
      ) finish(undefined, o.received.bytes >= maxBytes ? `stopped after ${maxBytes} bytes` : "");
    });
    socket.once("end", () => {
      observer.peerClosed("fin");
      finish();
    });
    socket.once("error", (e: Error & { code?: string }) => {
      if (!connected) return finish("tcp-error", e.message);
      observer.peerClosed(e.code === "ECONNRESET" ? "reset" : "error", e.message);
      finish();
    });
  });
}

function _result(
  observer: WireObserver,
  forced: ProbeStatus | undefined,
  error: string | undefined,
  durationMs: number,
): ProbeResult {
  const o = observer.observation();
  const peerSent = o.received.bytes === 0 ? "nothing" : o.peerSpokeTls ? "tls" : "non-tls";
  const alert = o.alerts.find((a) => a.direction === "received");
  const status: ProbeStatus = o.serverHello
    ? "server-hello"
    : o.helloRetryRequest
    ? "hello-retry-request"
    : alert
    ? "alert"
    : forced === "tcp-error" || forced === "timeout"
    ? forced
    : peerSent === "non-tls"
    ? "not-tls"
    : "closed";
  const result: ProbeResult = {
    status,
    peerSent,
    durationMs: Math.round(durationMs * 10) / 10,
    observation: o,
  };
  if (o.serverHello) result.serverHello = o.serverHello;
  if (o.helloRetryRequest) result.helloRetryRequest = o.helloRetryRequest;
  if (alert) result.alert = { level: alert.level, description: alert.description };
  if (o.peerFirstBytes) result.firstBytes = o.peerFirstBytes;
  if (o.close.peer) result.peerClosed = o.close.peer.how;
  if (error) result.error = error;
  return result;
}
