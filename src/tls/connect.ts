import net from "node:net";
import tls from "node:tls";
import type { CertificateInfo, TcpOutcome, TlsOutcome } from "../outcome/mod.ts";
import { certificateInfo } from "./certificate_info.ts";
import { classifyTlsError } from "./classify.ts";
import type { TlsCredentials } from "./credentials.ts";
import { type VerificationPolicy, verifyPeer } from "./policy.ts";
import { parseThumbprints } from "./thumbprint.ts";
import type { TlsVersion } from "./version.ts";
import { InputError } from "../yaml/input_error.ts";

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
  /** Deadline for TCP connect plus TLS handshake together. */
  timeoutMs: number;
  /** When given, the peer is verified right after the handshake; a refusal closes the socket. */
  policy?: VerificationPolicy;
  /** Verification time; default now. */
  at?: Date;
}

/** An established TLS connection: the socket, and what the TCP and TLS stages saw. */
export interface TlsConnected {
  /** Always true: the handshake completed (and the peer passed `policy`, if given). */
  ok: true;
  /** The open TLS socket, ours to use and close. */
  socket: tls.TLSSocket;
  /** The TCP stage. */
  tcp: TcpOutcome;
  /** The TLS stage: protocol, cipher, peer certificate, our verdict. */
  tls: TlsOutcome;
  /** The peer's certificates as sent, DER, leaf first. */
  peerChain: Uint8Array[];
  /** Milliseconds spent in TCP connect and in the TLS handshake. */
  timing: { tcpMs: number; tlsMs: number };
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
}

/** What {@linkcode connectTls} gives: established, or classified as failed. */
export type TlsConnection = TlsConnected | TlsNotConnected;

/**
 * Opens TCP (noDelay on) and then TLS with `node:tls` to a peer. Certificate
 * checks of `node:tls` are off: our own verifier decides (pass `policy`, or
 * call `verifyPeer` on `peerChain`). Never rejects for network or TLS
 * failures: the result says which stage ended and why (refused, timeout,
 * the alert the peer sent, a close without alert).
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
 * import { loadCredentials } from "./credentials.ts";
 * const credentials = await loadCredentials({ cert: "client.crt", key: "client.key" });
 * const c = await connectTls({ host: "127.0.0.1", port: 2762, credentials, timeoutMs: 5000 });
 * if (c.ok) c.socket.end();
 * else console.log(c.stage, c.tls?.alert);
 * ```
 */
export async function connectTls(options: ConnectTlsOptions): Promise<TlsConnection> {
  // Reject a bad thumbprint list as bad input before touching the network.
  if (options.policy?.method === "thumbprint") parseThumbprints(options.policy.thumbprints);
  // What our own stack cannot do fails here, before touching the network.
  const secureContext = options.credentials
    ? localContext(options.credentials, options)
    : undefined;
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const timing = { tcpMs: 0, tlsMs: 0 };

  const tcp = await connectTcp(options.host, options.port, options.timeoutMs);
  timing.tcpMs = performance.now() - started;
  if (!tcp.socket) return { ok: false, stage: "tcp", tcp: tcp.outcome, peerChain: [], timing };

  const handshake = await handshakeTls(
    tcp.socket,
    { ...options, secureContext },
    Math.max(0, deadline - performance.now()),
  );
  timing.tlsMs = performance.now() - started - timing.tcpMs;
  if (!handshake.socket) {
    return {
      ok: false,
      stage: "tls",
      tcp: tcp.outcome,
      tls: handshake.outcome,
      peerChain: [],
      timing,
    };
  }
  const socket = handshake.socket;
  const peerChain = peerCertificates(socket);
  const outcome: TlsOutcome = {
    status: "established",
    protocol: socket.getProtocol() ?? undefined,
    cipher: cipherName(socket),
    clientCertificate: options.credentials !== undefined,
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
  const after = handshake.after!;
  if (after.error || after.closed) {
    const c = after.error
      ? classifyTlsError(after.error)
      : { closedWithoutAlert: true, message: "closed" };
    outcome.status = c.alert || c.closedWithoutAlert ? "refused-by-peer" : "error";
    if (c.alert) outcome.alert = c.alert;
    if (c.closedWithoutAlert) outcome.closedWithoutAlert = true;
    outcome.error = after.error
      ? c.message
      : "the peer closed the connection right after the handshake";
    socket.destroy();
    return { ok: false, stage: "tls", tcp: tcp.outcome, tls: outcome, peerChain, timing };
  }
  if (outcome.verification && !outcome.verification.ok) {
    socket.destroy();
    outcome.status = "refused-by-us";
    return { ok: false, stage: "tls", tcp: tcp.outcome, tls: outcome, peerChain, timing };
  }
  return { ok: true, socket, tcp: tcp.outcome, tls: outcome, peerChain, timing };
}

function connectTcp(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<{ socket?: net.Socket; outcome: TcpOutcome }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, noDelay: true });
    const finish = (result: { socket?: net.Socket; outcome: TcpOutcome }) => {
      clearTimeout(timer);
      socket.removeAllListeners("connect");
      socket.removeAllListeners("error");
      if (!result.socket) socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish({
          outcome: { status: "timeout", error: `no TCP connection within ${timeoutMs} ms` },
        }),
      timeoutMs,
    );
    socket.once("connect", () => finish({ socket, outcome: { status: "connected" } }));
    socket.once(
      "error",
      (e: Error & { code?: string }) =>
        finish({
          outcome: { status: e.code === "ECONNREFUSED" ? "refused" : "error", error: e.message },
        }),
    );
  });
}

/** What happened on the socket between the end of the handshake and our return. */
interface AfterHandshake {
  error?: Error;
  closed: boolean;
}

function handshakeTls(
  tcp: net.Socket,
  options: ConnectTlsOptions & { secureContext?: tls.SecureContext },
  timeoutMs: number,
): Promise<{ socket?: tls.TLSSocket; after?: AfterHandshake; outcome: TlsOutcome }> {
  const clientCertificate = options.credentials !== undefined;
  // The connected socket is never left alone: a late reset must not become an uncaught error.
  tcp.on("error", () => {});
  return new Promise((resolve, reject) => {
    const servername = options.servername ?? (net.isIP(options.host) ? undefined : options.host);
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect({
        socket: tcp,
        ...(servername ? { servername } : {}),
        rejectUnauthorized: false,
        ...(options.secureContext
          ? { secureContext: options.secureContext }
          : { minVersion: options.minVersion, maxVersion: options.maxVersion }),
      });
    } catch (e) {
      tcp.destroy();
      return reject(
        new InputError({
          message: `our TLS stack (rustls) cannot start this handshake: ${(e as Error).message}`,
          hint: "check the case's tls: versions",
        }),
      );
    }
    const finish = (
      result: { socket?: tls.TLSSocket; after?: AfterHandshake; outcome: TlsOutcome },
    ) => {
      clearTimeout(timer);
      socket.removeListener("secureConnect", onSecure);
      socket.removeListener("error", onError);
      socket.removeListener("close", onClose);
      if (!result.socket) {
        socket.on("error", () => {});
        socket.destroy();
        tcp.destroy();
      }
      resolve(result);
    };
    const onSecure = () => {
      // Keep what comes before the caller takes over (a TLS 1.3 refusal of our
      // certificate arrives right after the handshake); later errors are theirs.
      const after: AfterHandshake = { closed: false };
      socket.on("error", (e: Error) => after.error ??= e);
      socket.once("close", () => after.closed = true);
      finish({ socket, after, outcome: { status: "established" } });
    };
    const onError = (e: Error) => {
      const c = classifyTlsError(e);
      const refused = c.alert !== undefined || c.closedWithoutAlert === true;
      finish({
        outcome: {
          status: refused ? "refused-by-peer" : "error",
          ...(c.alert ? { alert: c.alert } : {}),
          ...(c.closedWithoutAlert ? { closedWithoutAlert: true } : {}),
          clientCertificate,
          error: c.message,
        },
      });
    };
    const onClose = () =>
      finish({
        outcome: {
          status: "refused-by-peer",
          closedWithoutAlert: true,
          clientCertificate,
          error: "the peer closed the connection during the handshake",
        },
      });
    const timer = setTimeout(
      () =>
        finish({
          outcome: {
            status: "timeout",
            clientCertificate,
            error: `no TLS handshake within ${Math.round(timeoutMs)} ms`,
          },
        }),
      timeoutMs,
    );
    socket.once("secureConnect", onSecure);
    socket.once("error", onError);
    socket.once("close", onClose);
  });
}

// The context of our credentials, or an InputError saying why our stack
// cannot use them (rustls: "key too small" below 2048-bit RSA).
function localContext(
  credentials: TlsCredentials,
  versions: { minVersion?: TlsVersion; maxVersion?: TlsVersion },
): tls.SecureContext {
  try {
    return secureContextFor(credentials, versions);
  } catch (e) {
    throw new InputError({
      message: `our TLS stack (rustls) cannot present ${credentials.source} ` +
        `(${credentials.certificate.key}): ${(e as Error).message}`,
      hint: "rustls needs RSA keys of at least 2048 bits or EC keys",
    });
  }
}

// Given cert and key, node:tls builds a context per connection and parses the
// private key each time: about 0.5 ms, and native memory that only a garbage
// collection frees (it piled up to ~100 MB over 2,000 cases). One context per
// credentials and version range instead; a given context ignores the
// connection's minVersion/maxVersion, so they are part of it.
const contexts = new WeakMap<TlsCredentials, Map<string, tls.SecureContext>>();

function secureContextFor(
  credentials: TlsCredentials,
  versions: { minVersion?: TlsVersion; maxVersion?: TlsVersion },
): tls.SecureContext {
  let byVersions = contexts.get(credentials);
  if (!byVersions) contexts.set(credentials, byVersions = new Map());
  const key = `${versions.minVersion}-${versions.maxVersion}`;
  let context = byVersions.get(key);
  if (!context) {
    context = tls.createSecureContext({
      cert: credentials.cert,
      key: credentials.key,
      minVersion: versions.minVersion,
      maxVersion: versions.maxVersion,
    });
    byVersions.set(key, context);
  }
  return context;
}

/**
 * The certificates the peer sent, DER, leaf first, from
 * `getPeerCertificate(true)` (which links each to its issuer).
 *
 * @example
 * ```ts
 * import { peerCertificates } from "./connect.ts";
 * import type { TLSSocket } from "node:tls";
 * declare const socket: TLSSocket;
 * const chain = peerCertificates(socket); // [leafDer, intermediateDer, ...]
 * ```
 */
export function peerCertificates(socket: tls.TLSSocket): Uint8Array[] {
  const chain: Uint8Array[] = [];
  const seen = new Set<string>();
  let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(new Uint8Array(cert.raw));
    cert = cert.issuerCertificate;
  }
  return chain;
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

function cipherName(socket: tls.TLSSocket): string | undefined {
  const c = socket.getCipher() as { standardName?: string; name?: string } | undefined;
  return c?.standardName ?? c?.name;
}
