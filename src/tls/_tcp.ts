import net from "node:net";
import type { TcpOutcome } from "../outcome/mod.ts";

/**
 * Opens TCP (noDelay on) within `timeoutMs`: the socket, or the TCP stage
 * classified (refused, timeout, error) with nothing left open.
 */
export function _connectTcp(
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
