import type { Duplex } from "node:stream";
import type { CertificateInfo, TcpOutcome, TlsOutcome, WireObservation } from "../outcome/mod.ts";
import { certificateInfo } from "./certificate_info.ts";
import { classifyTlsError } from "./classify.ts";
import type { TlsCredentials } from "./credentials.ts";
import { handshakeVerdict } from "./handshake_verdict.ts";
import { type VerificationPolicy, verifyPeer } from "./policy.ts";
import { _rustlsHandshake } from "./_rustls_client.ts";
import { _opensslHandshake } from "./_openssl_client.ts";
import { keyExchangeOf } from "./key_exchange.ts";
import { chooseTlsStack, type TlsStackName } from "./stack.ts";
import { _localContext } from "./_secure_context.ts";
import { _connectTcp } from "./_tcp.ts";
import { parseThumbprints } from "./thumbprint.ts";
import type { TlsVersion } from "./version.ts";
import { WireTap } from "./wire/tap.ts";

/** Options of {@linkcode connectTls}. */
export interface ConnectTlsOptions {
  /** The peer's host name or address. */
  host: string;
  /** The peer's port. */
  port: number;
  /** SNI; default `host` unless it is an IP address (no SNI for addresses, RFC 6066). */
  servername?: string;
  /** Our client certificate; none when omitted. */
  credentials?: TlsCredentials;
  /** Lowest TLS version we offer; default the stack's. */
  minVersion?: TlsVersion;
  /** Highest TLS version we offer; default the stack's. */
  maxVersion?: TlsVersion;
  /** The TLS stack; default rustls unless the rest needs OpenSSL (see {@linkcode chooseTlsStack}). */
  stack?: TlsStackName;
  /** TLS 1.2-and-older suites to offer, IANA or OpenSSL names (OpenSSL). */
  ciphers?: string[];
  /** TLS 1.3 suites to offer (OpenSSL). */
  ciphersuites?: string[];
  /** Groups to offer, e.g. ["P-256", "ffdhe2048"] (OpenSSL). */
  groups?: string[];
  /** Signature algorithms to offer (OpenSSL). */
  sigalgs?: string[];
  /** Deadline for TCP connect plus TLS handshake together. */
  timeoutMs: number;
  /** When given, the peer is verified right after the handshake; a refusal closes the socket. */
  policy?: VerificationPolicy;
  /** Verification time; default now. */
  at?: Date;
  /**
   * false: no wire tap (verdicts then rest on the TLS stack's words alone).
   * Only for measuring what the observation costs; default true.
   */
  observe?: boolean;
}

/** An established TLS connection: the socket, and what the TCP and TLS stages saw. */
export interface TlsConnected {
  /** Always true: the handshake completed (and the peer passed `policy`, if given). */
  ok: true;
  /** The plaintext side of the open connection (a TLSSocket, or the OpenSSL stack's), ours to close. */
  socket: Duplex;
  /** The TCP stage. */
  tcp: TcpOutcome;
  /** The TLS stage: protocol, cipher, peer certificate, our verdict. */
  tls: TlsOutcome;
  /** The peer's certificates as sent, DER, leaf first. */
  peerChain: Uint8Array[];
  /** Milliseconds spent in TCP connect and in the TLS handshake. */
  timing: { tcpMs: number; tlsMs: number };
  /** What was on the wire so far (a snapshot each call); absent when not observed. */
  wire?: () => WireObservation;
}

/** A connection that ended in the TCP or TLS stage, classified; no socket is left open. */
export interface TlsNotConnected {
  /** Always false: see `stage`. */
  ok: false;
  /** The stage the connection ended in. */
  stage: "tcp" | "tls";
  /** The TCP stage. */
  tcp: TcpOutcome;
  /** The TLS stage, when TCP connected. */
  tls?: TlsOutcome;
  /** The peer's certificates as sent, when the handshake got that far. */
  peerChain: Uint8Array[];
  /** Milliseconds spent in TCP connect and in the TLS handshake. */
  timing: { tcpMs: number; tlsMs: number };
  /** What was on the wire (absent when TCP did not connect). */
  wire?: () => WireObservation;
}

/** What {@linkcode connectTls} gives: established, or classified as failed. */
export type TlsConnection = TlsConnected | TlsNotConnected;

/**
 * Opens TCP (noDelay on) and then TLS with `node:tls` (rustls) to a peer,
 * observing every record beneath the TLS stack (`wire()`). Certificate
 * checks of `node:tls` are off: our own verifier decides (pass `policy`, or
 * call `verifyPeer` on `peerChain`). Never rejects for network or TLS
 * failures: the result says which stage ended and why, judged by what was
 * on the wire (see {@linkcode handshakeVerdict}): a refusal by the peer
 * needs a TLS record from it; a peer that sent none is `not-tls`. Rejects
 * with an `InputError` for what our own side cannot do (a key rustls
 * refuses), before connecting.
 *
 * With TLS 1.3 a peer that refuses our client certificate does so after our
 * handshake completed: this resolves `ok: true` and the alert comes as an
 * `error` event on the first read; classify it with `classifyTlsError`.
 * Attach your own `error` listener to the socket at once (this one leaves a
 * guard that only prevents an unhandled error event).
 *
 * @example
 * ```ts
 * import { connectTls } from "./connect.ts";
 * import type { TlsCredentials } from "./credentials.ts";
 * declare const credentials: TlsCredentials;
 * const c = await connectTls({ host: "127.0.0.1", port: 2762, credentials, timeoutMs: 5000 });
 * if (c.ok) c.socket.destroy();
 * else console.log(c.stage, c.tls?.status, c.tls?.alert, c.wire?.().peerFirstBytes);
 * ```
 */
export async function connectTls(options: ConnectTlsOptions): Promise<TlsConnection> {
  // Reject a bad thumbprint list as bad input before touching the network.
  if (options.policy?.method === "thumbprint") parseThumbprints(options.policy.thumbprints);
  // What our own stacks cannot do fails here, before touching the network.
  const { stack, reason } = chooseTlsStack(options);
  const secureContext = options.credentials && stack === "rustls"
    ? _localContext(options.credentials, options)
    : undefined;
  const started = performance.now();
  const timing = { tcpMs: 0, tlsMs: 0 };
  const tcp = await _connectTcp(options.host, options.port, options.timeoutMs);
  timing.tcpMs = performance.now() - started;
  if (!tcp.socket) return { ok: false, stage: "tcp", tcp: tcp.outcome, peerChain: [], timing };

  // The connected socket is never left alone: a late reset must not become an uncaught error.
  tcp.socket.on("error", () => {});
  const tap = options.observe === false
    ? undefined
    : new WireTap({ socket: tcp.socket, role: "client", maxRecords: WIRE_RECORDS });
  const wire = tap ? () => tap.observation() : undefined;
  const clientCertificate = options.credentials !== undefined;
  const handshake = { ...options, timeoutMs: Math.max(0, options.timeoutMs - timing.tcpMs) };
  const end = stack === "openssl"
    ? await _opensslHandshake(tap ?? tcp.socket, handshake)
    : await _rustlsHandshake(tap ?? tcp.socket, { ...handshake, secureContext });
  timing.tlsMs = performance.now() - started - timing.tcpMs;
  const base: Partial<TlsOutcome> = { stack, ...(reason ? { stackReason: reason } : {}) };
  if (end.kind !== "done") {
    const failure = end.kind === "timeout"
      ? { kind: "timeout" as const, timeoutMs: handshake.timeoutMs }
      : end;
    const tls = wire
      ? handshakeVerdict({ failure, wire: wire(), clientCertificate })
      : { status: "error" as const, error: `unobserved handshake: ${end.kind}` };
    Object.assign(tls, base);
    return { ok: false, stage: "tls", tcp: tcp.outcome, tls, peerChain: [], timing, wire };
  }
  const { socket, peerChain } = end;
  const outcome: TlsOutcome = {
    status: "established",
    ...base,
    protocol: end.protocol,
    cipher: end.cipher,
    ...keyExchangeOf(wire?.(), end.ephemeralKey),
    clientCertificate,
  };
  const peer = describePeer(peerChain);
  if (peer) outcome.peer = peer;
  if (options.policy) {
    outcome.verification = await verifyPeer({
      policy: options.policy,
      chain: peerChain,
      hostname: options.servername ?? options.host,
      purpose: "server",
      at: options.at,
    });
  }
  // Checked after our verification, which takes a few ms: a TLS 1.3 alert that
  // arrived meanwhile is the peer's verdict and must not be lost.
  const after = end.after;
  if (after.error || after.closed) {
    Object.assign(outcome, lateRefusal(after.error));
    socket.destroy();
    return { ok: false, stage: "tls", tcp: tcp.outcome, tls: outcome, peerChain, timing, wire };
  }
  if (outcome.verification && !outcome.verification.ok) {
    socket.destroy();
    outcome.status = "refused-by-us";
    return { ok: false, stage: "tls", tcp: tcp.outcome, tls: outcome, peerChain, timing, wire };
  }
  return { ok: true, socket, tcp: tcp.outcome, tls: outcome, peerChain, timing, wire };
}

/** Records listed per conversation in the wire observation. */
const WIRE_RECORDS = 24;

// The peer's refusal right after our handshake completed (TLS 1.3): its alert, or a close.
function lateRefusal(error: Error | undefined): Partial<TlsOutcome> {
  const c = error ? classifyTlsError(error) : { closedWithoutAlert: true, message: "closed" };
  return {
    status: c.alert || c.closedWithoutAlert ? "refused-by-peer" : "error",
    after: "handshake-complete",
    ...(c.alert ? { alert: c.alert } : {}),
    ...(c.closedWithoutAlert ? { closedWithoutAlert: true } : {}),
    error: error ? c.message : "the peer closed the connection right after the handshake",
  };
}

function describePeer(
  chain: Uint8Array[],
): (CertificateInfo & { chain: CertificateInfo[] }) | undefined {
  try {
    const infos = chain.map(certificateInfo);
    return infos.length ? { ...infos[0], chain: infos } : undefined;
  } catch {
    // An unparsable peer certificate: the verifier reports it as malformed.
    return undefined;
  }
}
