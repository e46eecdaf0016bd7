/**
 * DCMTK storescp without TLS (a plain DICOM port) on a free loopback port,
 * for the tests that show what a TLS client meets there.
 */
import { freePort, type RunningProcess, startProcess } from "../process/mod.ts";
import { PEER_ENV } from "./peers.ts";

/** A running plain storescp: its port; `stop` also removes its output folder. */
export interface PlainStorescp extends RunningProcess {
  port: number;
}

/**
 * Starts `storescp -aet AET -od TMP PORT` (no `+tls`) and waits until it listens.
 *
 * @example
 * ```ts
 * const scp = await startPlainStorescp();
 * // ... connect to 127.0.0.1:scp.port ...
 * await scp.stop();
 * ```
 */
export async function startPlainStorescp(aet = "STORESCP"): Promise<PlainStorescp> {
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-plain-storescp-" });
  const proc = await startProcess({
    command: ["storescp", "-aet", aet, "-od", dir, String(port)],
    env: PEER_ENV,
    ready: { port },
  });
  return {
    ...proc,
    port,
    async stop(options) {
      await proc.stop(options);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
