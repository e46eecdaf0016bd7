/**
 * Starting peer processes (DCMTK, Orthanc, a vendor's simulator): wait until
 * ready by port or log line, stop by PID; holding signals back for a step
 * that must not be cut in half.
 *
 * @example
 * ```ts
 * import { freePort, startProcess } from "./mod.ts";
 * const port = freePort();
 * const scp = await startProcess({ command: ["storescp", String(port)], ready: { port } });
 * await scp.stop();
 * ```
 * @module
 */
export * from "./start.ts";
export * from "./defer_signals.ts";
export * from "./shell.ts";
