import { type OpenSslEngine, startOpenSsl, type StartOpenSslOptions } from "./engine.ts";

let shared: Promise<OpenSslEngine> | undefined;

/**
 * The process's one OpenSSL engine, started on first use; when its helper
 * has died since (killed, crashed), a new one is started in its place, so a
 * run survives a lost helper with one restart per loss. Stop it at the end
 * of the run with {@linkcode closeSharedOpenSsl}.
 *
 * @example
 * ```ts
 * declare const socket: import("node:net").Socket;
 * const engine = await sharedOpenSsl();
 * const tls = await engine.connect({ ciphertext: socket, minVersion: "TLSv1" });
 * ```
 */
export async function sharedOpenSsl(options?: StartOpenSslOptions): Promise<OpenSslEngine> {
  const current = shared;
  if (current) {
    const engine = await current.catch(() => undefined);
    if (engine?.alive) return engine;
    // Another caller may have replaced it while we waited.
    if (shared !== current) return sharedOpenSsl(options);
  }
  shared = startOpenSsl(options);
  return await shared;
}

/**
 * Stops the shared engine, if one was started.
 *
 * @example
 * ```ts
 * await closeSharedOpenSsl();
 * ```
 */
export async function closeSharedOpenSsl(): Promise<void> {
  const current = shared;
  shared = undefined;
  const engine = await current?.catch(() => undefined);
  await engine?.close();
}
