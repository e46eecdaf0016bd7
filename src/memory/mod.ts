/**
 * Keeping a long-running process's memory flat: a full garbage collection
 * when the resident size grew, because the native memory of TLS sockets is
 * invisible to V8 (used by the runner per case and the reference AE per
 * connection).
 *
 * @example
 * ```ts
 * import { relieveMemory } from "./mod.ts";
 * relieveMemory();
 * ```
 * @module
 */
export * from "./relieve.ts";
