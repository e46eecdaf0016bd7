/**
 * DICOM Part 10 files (PS3.10): read one into its meta information and data
 * set bytes, and write a received data set as a Part 10 file without
 * re-encoding it.
 *
 * @example
 * ```ts
 * import { readPart10 } from "./mod.ts";
 * const file = readPart10(await Deno.readFile("image.dcm"));
 * console.log(file.sopClassUid, file.transferSyntax, file.dataset.length);
 * ```
 * @module
 */
export * from "./part10.ts";
export * from "./part10_error.ts";
export * from "./read_file.ts";
export * from "./total.ts";
