import net from "node:net";
import type { AlertInfo } from "./alert.ts";
import type { FirstBytes } from "./first_bytes.ts";
import { checkServerHello } from "./hello_answer.ts";
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
  /** The server refused with a plaintext alert: a fatal one, or one after which it closed. */
  | "alert"
  /** The server closed or reset without sending a byte. */
  | "closed"
  /**
   * The server sent TLS records that are no valid answer to the hello
   * (`error` says why): a ServerHello choosing what was not offered, two of
   * them, an undecodable message, another message or application data before
   * any ServerHello, records without end, a close in the middle of one.
   */
  | "invalid"
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
  const untilDone = options.untilServerHelloDone ?? true;
  const started = performance.now();
  let done = false;
  const seen: _Seen = { helloDone: false, serverHellos: 0 };
  const observer = new WireObserver({
    role: "client",
    onHandshake: (m, direction) => {
      if (direction !== "received") return;
      if (m.type === 14) seen.helloDone = true;
      if (m.type === 2) seen.serverHellos++;
      // HelloRequest (0) may come any time in TLS <= 1.2 and asks for nothing here.
      else if (seen.serverHellos === 0 && m.type !== 0) seen.beforeHello ??= m.typeName;
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
      const step = _step(observer.peek(), seen, { untilDone, maxBytes });
      if (step) finish(step.invalid ? "invalid" : undefined, step.invalid ?? step.stoppedBecause);
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

/** What the handshake callback saw of the server's messages. */
interface _Seen {
  helloDone: boolean;
  /** ServerHello and HelloRetryRequest messages received. */
  serverHellos: number;
  /** The first other handshake message, when it came before any ServerHello. */
  beforeHello?: string;
}

/**
 * Whether to stop reading after a chunk: with `invalid`, the answer is no
 * valid one; `stoppedBecause` says why reading stopped after a valid
 * answer before its end.
 */
function _step(
  o: Readonly<WireObservation>,
  seen: _Seen,
  limits: { untilDone: boolean; maxBytes: number },
): { invalid?: string; stoppedBecause?: string } | undefined {
  const hello = o.serverHello ?? o.helloRetryRequest;
  const full = o.received.bytes >= limits.maxBytes;
  if (hello) {
    if (seen.serverHellos > 1) return { invalid: "two ServerHello messages answered one hello" };
    const wrong = o.clientHello && checkServerHello(o.clientHello, hello);
    if (wrong) return { invalid: `${_hello(hello)}: ${wrong}` };
    // What follows a valid answer only adds details: bad bytes or too many of them end the reading.
    const broken = o.errors[0] ?? o.received.notTls;
    if (broken) return { stoppedBecause: `stopped reading after the ServerHello: ${broken}` };
    if (full) return { stoppedBecause: `stopped after ${limits.maxBytes} bytes` };
    const complete = o.helloRetryRequest || o.tls13Encrypted || !limits.untilDone ||
      seen.helloDone || o.received.encryptedRecords > 0 || fatal(o);
    return complete ? {} : undefined;
  }
  const alert = o.alerts.find((a) => a.direction === "received");
  const invalid = o.errors[0] ??
    (alert && !LEVELS.has(alert.level) ? `an alert of level ${alert.level}` : undefined) ??
    (seen.beforeHello ? `a ${seen.beforeHello} before any ServerHello` : undefined) ??
    (o.received.changeCipherSpec ? "a ChangeCipherSpec before any ServerHello" : undefined) ??
    (o.received.encryptedRecords > 0 ? "application data before any ServerHello" : undefined) ??
    (o.received.notTls && o.peerSpokeTls ? o.received.notTls : undefined) ??
    (full
      ? `stopped after ${limits.maxBytes} bytes without a ServerHello or a fatal alert`
      : undefined);
  if (invalid) return { invalid };
  // A warning alert refuses nothing yet (TLS <= 1.2 servers warn unrecognized_name, then answer).
  return fatal(o) || o.received.notTls ? {} : undefined;
}

const LEVELS = new Set(["warning", "fatal"]);
const fatal = (o: Readonly<WireObservation>) =>
  o.alerts.some((a) => a.direction === "received" && a.level === "fatal");

function _hello(h: ServerHelloInfo): string {
  const kind = h.helloRetryRequest ? "HelloRetryRequest" : "ServerHello";
  return `${kind} ${h.version.name} ${h.cipherSuite.name}`;
}

function _result(
  observer: WireObserver,
  forced: ProbeStatus | undefined,
  error: string | undefined,
  durationMs: number,
): ProbeResult {
  const o = observer.observation();
  const peerSent = o.received.bytes === 0 ? "nothing" : o.peerSpokeTls ? "tls" : "non-tls";
  const received = o.alerts.filter((a) => a.direction === "received");
  // The fatal alert is the answer; a warning before it (unrecognized_name) is not.
  const alert = received.find((a) => a.level === "fatal") ?? received[0];
  const closed = o.close.peer !== undefined;
  // The peer ended in the middle of a record, or after records that answered nothing.
  const cutShort = o.received.endedMidRecord && o.received.bytes > 0 &&
      o.peerFirstBytes?.kind === "tls"
    ? `closed in the middle of a record, after ${o.received.bytes} bytes`
    : closed && peerSent === "tls" && !alert && !o.serverHello && !o.helloRetryRequest
    ? `closed after ${o.received.bytes} bytes without a ServerHello or an alert`
    : undefined;
  const status: ProbeStatus = forced === "invalid"
    ? "invalid"
    : o.serverHello
    ? "server-hello"
    : o.helloRetryRequest
    ? "hello-retry-request"
    : alert && (alert.level === "fatal" || closed)
    ? "alert"
    : forced === "tcp-error" || forced === "timeout"
    ? forced
    : cutShort
    ? "invalid"
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
  const why = status === "invalid" && forced !== "invalid" ? cutShort : error;
  if (why) result.error = why;
  return result;
}
