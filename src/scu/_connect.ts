import type { TcpOutcome, TlsOutcome, WireObservation } from "../outcome/mod.ts";
import type { Duplex } from "node:stream";
import { connectPlain, connectTls } from "../tls/mod.ts";
import type { StageClock } from "./_clock.ts";
import type { ScuOptions } from "./options.ts";

/** What the TCP and TLS stages gave: the socket when both (and our verification) succeeded. */
export interface ConnectStage {
  tcp: TcpOutcome;
  tls?: TlsOutcome;
  socket?: Duplex;
  /** What was on the wire so far (a snapshot each call). */
  wire?: () => WireObservation;
}

/**
 * TCP, then TLS with our verification of the SCP (through rustls or, when
 * the options need it, OpenSSL); `plain` skips TLS (no TLS stage).
 */
export async function connectStage(options: ScuOptions, clock: StageClock): Promise<ConnectStage> {
  if (options.plain) {
    const plain = await connectPlain(options);
    clock.markFromOrigin("tcp", plain.tcpMs);
    return { tcp: plain.tcp, socket: plain.socket, wire: plain.wire };
  }
  const connection = await connectTls(options);
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
