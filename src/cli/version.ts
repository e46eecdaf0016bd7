import config from "../../deno.json" with { type: "json" };

/**
 * dicomtls's version, from `deno.json`.
 *
 * @example
 * ```ts
 * import { DICOMTLS_VERSION } from "./version.ts";
 * DICOMTLS_VERSION; // "0.1.0"
 * ```
 */
export const DICOMTLS_VERSION: string = config.version;

/**
 * What `dicomtls --version` prints: our version and the runtime's.
 *
 * @example
 * ```ts
 * import { versionLine } from "./version.ts";
 * versionLine(); // "dicomtls 0.1.0 (Deno 2.9.6, V8 15.0.245.2-rusty, TypeScript 6.0.3)"
 * ```
 */
export function versionLine(): string {
  const { deno, v8, typescript } = Deno.version;
  return `dicomtls ${DICOMTLS_VERSION} (Deno ${deno}, V8 ${v8}, TypeScript ${typescript})`;
}
