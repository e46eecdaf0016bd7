import { join } from "node:path";
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from "../ul/uids.ts";
import { concatBytes } from "../ul/concat_bytes.ts";
import { datasetBytes, encodingOf, walkDataset } from "./_dataset.ts";
import { Part10Error } from "./part10_error.ts";

/** What identifies a dataset in a Part 10 file's meta information. */
export interface Part10Meta {
  /** SOP Class UID (0002,0002), e.g. CT Image Storage. */
  sopClassUid: string;
  /** SOP Instance UID (0002,0003) of the data set. */
  sopInstanceUid: string;
  /** Transfer syntax UID (0002,0010) the data set is encoded in. */
  transferSyntax: string;
}

/** A Part 10 file split into its meta information and the dataset's bytes as encoded. */
export interface Part10File extends Part10Meta {
  /** The dataset after the meta group, in `transferSyntax`. */
  dataset: Uint8Array;
}

/** Options of {@linkcode part10Bytes} and {@linkcode writePart10File}. */
export interface Part10Options extends Part10Meta {
  /** The dataset as received (P-DATA), encoded in `transferSyntax`. */
  dataset: Uint8Array;
  /** The calling AE title that sent it, kept in (0002,0016). */
  sourceAe?: string;
}

/**
 * A Part 10 file (PS3.10 7.1): preamble, "DICM", the meta information group
 * (explicit VR little endian, with its group length), then the dataset bytes
 * exactly as received, so nothing is re-encoded.
 *
 * @example
 * ```ts
 * import { part10Bytes } from "./part10.ts";
 * declare const dataset: Uint8Array; // implicit VR little endian, as received
 * const bytes = part10Bytes({
 *   dataset,
 *   transferSyntax: "1.2.840.10008.1.2",
 *   sopClassUid: "1.2.840.10008.5.1.4.1.1.7",
 *   sopInstanceUid: "2.25.1234",
 * });
 * ```
 */
export function part10Bytes(options: Part10Options): Uint8Array {
  const elements = [
    element(0x0001, "OB", new Uint8Array([0, 1])),
    element(0x0002, "UI", text(options.sopClassUid, 0)),
    element(0x0003, "UI", text(options.sopInstanceUid, 0)),
    element(0x0010, "UI", text(options.transferSyntax, 0)),
    // The same implementation identity as in our A-ASSOCIATE user information (PS3.7 D.3.3.2).
    element(0x0012, "UI", text(IMPLEMENTATION_CLASS_UID, 0)),
    element(0x0013, "SH", text(IMPLEMENTATION_VERSION_NAME, 0x20)),
    ...(options.sourceAe ? [element(0x0016, "AE", text(options.sourceAe.trim(), 0x20))] : []),
  ];
  const groupLength = elements.reduce((n, e) => n + e.length, 0);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, groupLength, true);
  const parts = [
    new Uint8Array(128),
    new TextEncoder().encode("DICM"),
    element(0x0000, "UL", length),
    ...elements,
    options.dataset,
  ];
  return concatBytes(parts);
}

// A value padded to even length (PS3.5 6.2: UI with NUL, text with a space).
function text(value: string, pad: number): Uint8Array {
  const bytes = new TextEncoder().encode(value);
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = pad;
  return padded;
}

// One group 2 element in explicit VR little endian.
function element(tagElement: number, vr: string, value: Uint8Array): Uint8Array {
  const long = vr === "OB";
  const out = new Uint8Array((long ? 12 : 8) + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, tagElement, true);
  out.set([vr.charCodeAt(0), vr.charCodeAt(1)], 4);
  if (long) view.setUint32(8, value.length, true);
  else view.setUint16(6, value.length, true);
  out.set(value, long ? 12 : 8);
  return out;
}

const META = { sopClassUid: 0x00020002, sopInstanceUid: 0x00020003, transferSyntax: 0x00020010 };

/**
 * How many bytes {@linkcode checkPart10Start} looks at: the preamble, "DICM"
 * and the meta group's length element.
 */
export const PART10_START_BYTES = 144;

/**
 * Checks the start of a Part 10 file (at least its first
 * {@linkcode PART10_START_BYTES} bytes, or the whole file if shorter):
 * preamble, "DICM", the meta group length (0002,0000). Throws a
 * {@linkcode Part10Error} saying what is wrong, so that a file that is no DICOM is refused without
 * reading the rest of it.
 *
 * @example
 * ```ts
 * import { checkPart10Start } from "./part10.ts";
 * checkPart10Start(new Uint8Array(144)); // throws: no 'DICM' after the 128-byte preamble
 * ```
 */
export function checkPart10Start(bytes: Uint8Array): void {
  if (bytes.length < 132 || new TextDecoder().decode(bytes.subarray(128, 132)) !== "DICM") {
    throw new Part10Error({ message: "no 'DICM' after the 128-byte preamble" });
  }
  if (bytes.length < PART10_START_BYTES) {
    throw new Part10Error({
      message: `the file ends at byte ${bytes.length}, before its meta information`,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The meta group starts with its length (0002,0000) UL: 12 bytes of element at 132.
  if (view.getUint32(132, true) !== 0x00000002 || view.getUint16(136, true) !== 0x4c55) {
    throw new Part10Error({
      message: "the meta information does not start with its group length (0002,0000)",
    });
  }
}

/**
 * Splits a Part 10 file into meta and dataset bytes, walking the whole data
 * set (every element, sequence and fragment must fit) to make sure it is
 * well formed. Throws a {@linkcode Part10Error} saying what is wrong
 * otherwise, with the byte in the file where it is (and how to fix it, where
 * the fault says).
 *
 * @example
 * ```ts
 * import { readPart10 } from "./part10.ts";
 * const file = readPart10(await Deno.readFile("ct.dcm"));
 * console.log(file.sopClassUid, file.transferSyntax, file.dataset.length);
 * ```
 */
export function readPart10(bytes: Uint8Array, options: ReadPart10Options = {}): Part10File {
  checkPart10Start(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const metaEnd = PART10_START_BYTES + view.getUint32(140, true);
  if (metaEnd > bytes.length) {
    throw new Part10Error({
      message:
        `the meta information runs past the end of the file (to byte ${metaEnd} of ${bytes.length})`,
    });
  }
  // A group length that lies moves the data set's start: group 0002 must end exactly there.
  const meta = walkDataset(bytes.subarray(PART10_START_BYTES, metaEnd), {
    encoding: { explicit: true, littleEndian: true },
    want: Object.values(META),
    origin: PART10_START_BYTES,
    group: 0x0002,
  });
  const transferSyntax = meta.get(META.transferSyntax) ?? "";
  const dataset = bytes.subarray(metaEnd);
  const inflated = datasetBytes(dataset, transferSyntax);
  checkNoFileMeta(inflated, {
    at: inflated === dataset ? `byte ${metaEnd}` : "the start of the inflated data set",
    groupLength: metaEnd - PART10_START_BYTES,
  });
  let top: Map<number, string>;
  try {
    top = walkDataset(inflated, {
      encoding: encodingOf(transferSyntax),
      want: [0x00080016, 0x00080018],
      origin: inflated === dataset ? metaEnd : 0,
    });
  } catch (e) {
    // Bytes of the deflated data set count from its inflated start.
    if (inflated === dataset) throw e;
    throw new Part10Error({ message: `in the inflated data set: ${(e as Error).message}` });
  }
  const file = {
    sopClassUid: meta.get(META.sopClassUid) || top.get(0x00080016) || "",
    sopInstanceUid: meta.get(META.sopInstanceUid) || top.get(0x00080018) || "",
    transferSyntax,
    dataset,
  };
  const missing = [
    file.sopClassUid ? "" : "SOP Class UID (0002,0002)",
    file.sopInstanceUid ? "" : "SOP Instance UID (0002,0003)",
    file.transferSyntax ? "" : "Transfer Syntax UID (0002,0010)",
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new Part10Error({ message: `the file has no ${missing.join(", no ")}`, hint: UIDS_HINT });
  }
  if (options.checkUids) {
    for (const [name, uid] of Object.entries(UID_NAMES)) checkUid(name, file[uid]);
  }
  return file;
}

/** Options of {@linkcode readPart10}. */
export interface ReadPart10Options {
  /**
   * Refuse SOP Class, SOP Instance and Transfer Syntax UIDs that are no UIDs
   * (PS3.5 9.1: digits and dots, at most 64): a file to send names them in
   * the A-ASSOCIATE-RQ and the C-STORE-RQ. Default false (the reference AE
   * reads the files it writes itself).
   */
  checkUids?: boolean;
}

const UIDS_HINT =
  "a file to store names its SOP class, instance and transfer syntax UIDs in its meta group";

const UID_NAMES = {
  "SOP Class UID": "sopClassUid",
  "SOP Instance UID": "sopInstanceUid",
  "Transfer Syntax UID": "transferSyntax",
} as const;

// A UID as PS3.5 9.1 has it: digits and dots, at most 64.
const isUid = (value: string) => /^[0-9.]{1,64}$/.test(value);

function checkUid(name: string, uid: string): void {
  if (isUid(uid)) return;
  // Shown by its start: a value field may hold 4 GB.
  const shown = uid.length > 80 ? `${uid.slice(0, 64)}... (${uid.length} characters)` : uid;
  throw new Part10Error({
    message: `the ${name} '${shown}' is not a UID (PS3.5 9.1: at most 64 digits and dots)`,
    hint: UIDS_HINT,
  });
}

/**
 * Group 0002 is the file's meta information and no part of a data set
 * (PS3.10 7.1, PS3.5 7.1): a C-STORE sends the data set as is, so a file
 * whose data set starts with it (a meta group length (0002,0000) too short,
 * a meta group written twice) would send it, which DCMTK's storescp stores
 * with a warning and our reference AE refuses (0xC000). The meta group is
 * explicit VR little endian, whatever the data set's transfer syntax.
 */
function checkNoFileMeta(dataset: Uint8Array, where: { at: string; groupLength: number }): void {
  if (dataset.length < 4) return;
  const view = new DataView(dataset.buffer, dataset.byteOffset, dataset.byteLength);
  if (view.getUint16(0, true) !== 0x0002) return;
  const element = view.getUint16(2, true).toString(16).toUpperCase().padStart(4, "0");
  throw new Part10Error({
    message:
      `the data set starts with File Meta element (0002,${element}) at ${where.at}: group 0002 ` +
      `goes on past the ${where.groupLength} bytes its group length (0002,0000) gives, and a ` +
      `data set may not hold it (PS3.10 7.1)`,
    hint: "correct the meta group length (0002,0000), or remove the second meta group; " +
      "dcmdump FILE shows both",
  });
}

/**
 * Writes a received dataset as a Part 10 file `SOPInstanceUID.dcm` in `dir`,
 * atomically: a temporary file in the same folder, then a rename, so a reader
 * never sees half a file. The dataset is first walked whole; a dataset that
 * does not parse is refused with an Error (and nothing is written). Returns
 * the path written.
 *
 * @example
 * ```ts
 * import { type Part10File, writePart10File } from "./part10.ts";
 * declare const received: Part10File;
 * const path = await writePart10File("received", received);
 * ```
 */
export async function writePart10File(dir: string, options: Part10Options): Promise<string> {
  const bytes = part10Bytes(options);
  readPart10(bytes);
  // Anything but a UID must not become a path.
  const name = isUid(options.sopInstanceUid) ? options.sopInstanceUid : crypto.randomUUID();
  const path = join(dir, `${name}.dcm`);
  const temp = join(dir, `.${name}.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeFile(temp, bytes);
    await Deno.rename(temp, path);
  } catch (e) {
    await Deno.remove(temp).catch(() => {});
    throw e;
  }
  return path;
}
