/**
 * DICOM Part 10 files (PS3.10): read one into its meta information and data
 * set bytes, and write a received data set as a Part 10 file without
 * re-encoding it.
 *
 * @module
 */
export * from "./part10.ts";
