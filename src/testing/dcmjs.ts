/**
 * dcmjs, an independent DICOM reader the tests check our Part 10 files
 * against, by its npm specifier: a test-only package (dicomtls reads and
 * writes Part 10 itself) stays out of deno.json's imports, so that
 * `deno task demo` and the installed `dicomtls` never fetch it (nor its
 * core-js-pure, whose ignored build script made Deno print a warning box).
 *
 * @example
 * ```ts
 * import { dcmjs } from "./dcmjs.ts";
 * declare const bytes: Uint8Array;
 * const dict = dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict;
 * ```
 * @module
 */
export { default as dcmjs } from "npm:dcmjs@^0.52.2";
