/**
 * dcmjs-dimse 0.3.3, an independent DICOM network stack the tests run as a
 * peer, by its npm specifier: a test-only package stays out of deno.json's
 * imports, so that `deno task demo` and the installed `dicomtls` never fetch it.
 *
 * @example
 * ```ts
 * import { dimse } from "./dcmjs_dimse.ts";
 * dimse.constants.SopClass.Verification; // "1.2.840.10008.1.1"
 * ```
 * @module
 */
export { default as dimse } from "npm:dcmjs-dimse@0.3.3";
