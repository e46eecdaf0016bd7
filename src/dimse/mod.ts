/**
 * DIMSE (PS3.7) over an association from src/ul/: command sets in implicit
 * VR little endian ({@linkcode encodeCommand}, {@linkcode decodeCommand}),
 * messages fragmented into PDVs by the peer's maximum length and reassembled
 * ({@linkcode sendMessage}, {@linkcode receiveMessage}), named status codes
 * ({@linkcode describeStatus}), and C-ECHO as SCU and SCP ({@linkcode cEcho},
 * {@linkcode serveEcho}). C-STORE is a command set plus a `dataset`.
 *
 * @example
 * ```ts
 * import { cEcho } from "./mod.ts";
 * import type { Association } from "../ul/mod.ts";
 * declare const association: Association;
 * const status = await cEcho(association, { timeoutMs: 5000 });
 * console.log(status.name); // "Success"
 * ```
 * @module
 */
export * from "./command.ts";
export * from "./status.ts";
export * from "./message.ts";
export * from "./receive.ts";
export * from "./response.ts";
export * from "./uid.ts";
export * from "./echo.ts";
export * from "./c_store.ts";
export * from "./peer_violation.ts";
