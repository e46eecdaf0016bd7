import type { TcpOutcome, WireObservation } from "../outcome/mod.ts";
import { _connectTcp } from "./_tcp.ts";
import type { Duplex } from "node:stream";
import { WireTap } from "./wire/tap.ts";

/** A plain TCP connection (no TLS) with its wire observation, or the TCP stage's failure. */
export interface PlainConnection {
  /** The TCP stage. */
  tcp: TcpOutcome;
  /** The connection to speak DICOM on, observed; absent when TCP failed. */
  socket?: Duplex;
  /** What was on the wire so far: what the peer answered (a TLS alert from a TLS port?). */
  wire?: () => WireObservation;
  /** Milliseconds spent in TCP connect. */
  tcpMs: number;
}

/**
 * Opens TCP (noDelay on) without TLS, observed like a TLS conversation: for
 * plain DICOM (`harness: { tls: off }`, `echo --no-tls`), so that "this TLS
 * port refuses plain DICOM" shows what the port answered.
 *
 * @example
 * ```ts
 * import { connectPlain } from "./connect_plain.ts";
 * const c = await connectPlain({ host: "127.0.0.1", port: 11112, timeoutMs: 5000 });
 * c.socket?.destroy();
 * ```
 */
export async function connectPlain(
  options: { host: string; port: number; timeoutMs: number },
): Promise<PlainConnection> {
  const started = performance.now();
  const tcp = await _connectTcp(options.host, options.port, options.timeoutMs);
  const tcpMs = performance.now() - started;
  if (!tcp.socket) return { tcp: tcp.outcome, tcpMs };
  tcp.socket.on("error", () => {});
  const socket = new WireTap({ socket: tcp.socket, role: "client", maxRecords: 24 });
  return { tcp: tcp.outcome, socket, wire: () => socket.observation(), tcpMs };
}
