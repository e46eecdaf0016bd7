/**
 * fast-check, the property-testing library of the tests, by its npm
 * specifier: a test-only package stays out of deno.json's imports, so that
 * `deno task demo` (which installs every package deno.json names) and the
 * installed `dicomtls` never fetch it.
 *
 * @example
 * ```ts
 * import { fc } from "./fast_check.ts";
 * fc.assert(fc.property(fc.integer(), (n) => n + 0 === n));
 * ```
 * @module
 */
export { default as fc } from "npm:fast-check@^4.10.2";
