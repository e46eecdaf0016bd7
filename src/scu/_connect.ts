import type tls from "node:tls";
import type { TcpOutcome, TlsOutcome, WireObservation } from "../outcome/mod.ts";
import type { Duplex } from "node:stream";
import { connectPlain, connectTls, probeLegacyTls } from "../tls/mod.ts";
import type { StageClock } from "./_clock.ts";
import type { ScuOptions } from "./options.ts";

/** What the TCP and TLS stages gave: the socket when both (and our verification) succeeded. */
export interface ConnectStage {
  tcp: TcpOutcome;
  tls?: TlsOutcome;
  socket?: tls.TLSSocket | Duplex;
  /** What was on the wire so far (a snapshot each call). */
  wire?: () => WireObservation;
}

/**
 * TCP, then TLS with our verification of the SCP; a `maxVersion` of TLSv1
 * or TLSv1.1 runs the legacy handshake probe instead (no socket then);
 * `plain` skips TLS (no TLS stage).
 */
export async function connectStage(options: ScuOptions, clock: StageClock): Promise<ConnectStage> {
  if (options.plain) {
    const plain = await connectPlain(options);
    clock.markFromOrigin("tcp", plain.tcpMs);
    return { tcp: plain.tcp, socket: plain.socket, wire: plain.wire };
  }
  const max = options.maxVersion;
  if (max === "TLSv1" || max === "TLSv1.1") {
    const probe = await probeLegacyTls({ ...options, version: max });
    clock.mark(probe.tls ? "tls" : "tcp");
    return probe;
  }
  const connection = await connectTls({
    host: options.host,
    port: options.port,
    servername: options.servername,
    credentials: options.credentials,
    minVersion: options.minVersion,
    maxVersion: max,
    timeoutMs: options.timeoutMs,
    policy: options.policy,
    at: options.at,
    observe: options.observe,
  });
  clock.markFromOrigin("tcp", connection.timing.tcpMs);
  if (connection.tcp.status !== "connected") return { tcp: connection.tcp };
  // The TLS stage includes our verification of the peer, which connectTls ran.
  clock.mark("tls");
  return {
    tcp: connection.tcp,
    tls: connection.tls,
    wire: connection.wire,
    ...(connection.ok ? { socket: connection.socket } : {}),
  };
}
