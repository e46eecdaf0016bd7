/**
 * Text that leaves dicomtls: {@linkcode terminalSafe}, the one sanitiser for
 * every peer-controlled string on its way to a terminal, and
 * {@linkcode toJson}, the one JSON writer, whose output keeps the exact values
 * and is safe to print.
 *
 * @example
 * ```ts
 * import { terminalSafe, toJson } from "./mod.ts";
 * console.log(terminalSafe("CN=\x1b[2Kforged")); // CN=\x1B[2Kforged
 * console.log(toJson({ subject: "CN=\u009b2J" })); // {"subject":"CN=\u009b2J"}
 * ```
 * @module
 */
export * from "./terminal.ts";
export * from "./json.ts";
export * from "./host_port.ts";
export * from "./clip.ts";
