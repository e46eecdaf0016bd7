/**
 * dicomtls: a scriptable conformance and interoperability tester for DICOM
 * over TLS (PS3.15 Annex B, PS3.8 upper layer, PS3.7 DIMSE).
 *
 * As a library it exports the building blocks; run as a program it is the
 * `dicomtls` command line (`deno task dicomtls --help`).
 *
 * @example
 * ```ts
 * import { main } from "./mod.ts";
 * await main(["--help"]);
 * ```
 * @module
 */
import { main } from "./src/cli/mod.ts";

export { main };
export * from "./src/yaml/mod.ts";
export * from "./src/ul/mod.ts";
export * from "./src/dimse/mod.ts";
export * from "./src/report/mod.ts";
export * from "./src/pki/mod.ts";
export * from "./src/tls/mod.ts";
export * from "./src/scenario/mod.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
