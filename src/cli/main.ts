/**
 * The `dicomtls` program: runs the command line and exits with its code.
 * The entry point of `deno task dicomtls` and of an installed `dicomtls`;
 * it loads only the command it runs (the library's `mod.ts` loads all).
 *
 * @module
 */
import { main } from "./mod.ts";

export { main };

if (import.meta.main) Deno.exit(await main(Deno.args));
