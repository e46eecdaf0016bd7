import dcmjs from "dcmjs";
import { join } from "node:path";
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from "../ul/uids.ts";

const { DicomDict, DicomMessage } = dcmjs.data;

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
 * A Part 10 file (PS3.10 7.1): preamble, "DICM", the meta group written by
 * dcmjs, then the dataset bytes exactly as received, so nothing is re-encoded.
 *
 * @example
 * ```ts
 * import { part10Bytes } from "./part10.ts";
 * declare const dataset: Uint8Array; // implicit VR little endian, e.g. from dcmjs
 * const bytes = part10Bytes({
 *   dataset,
 *   transferSyntax: "1.2.840.10008.1.2",
 *   sopClassUid: "1.2.840.10008.5.1.4.1.1.7",
 *   sopInstanceUid: "2.25.1234",
 * });
 * ```
 */
export function part10Bytes(options: Part10Options): Uint8Array {
  const ui = (v: string) => ({ vr: "UI", Value: [v] });
  const meta: Record<string, unknown> = {
    "00020001": { vr: "OB", Value: [new Uint8Array([0, 1]).buffer] },
    "00020002": ui(options.sopClassUid),
    "00020003": ui(options.sopInstanceUid),
    "00020010": ui(options.transferSyntax),
    // The same implementation identity as in our A-ASSOCIATE user information (PS3.7 D.3.3.2).
    "00020012": ui(IMPLEMENTATION_CLASS_UID),
    "00020013": { vr: "SH", Value: [IMPLEMENTATION_VERSION_NAME] },
  };
  if (options.sourceAe) meta["00020016"] = { vr: "AE", Value: [options.sourceAe.trim()] };
  const head = new Uint8Array(new DicomDict(meta).write());
  const out = new Uint8Array(head.length + options.dataset.length);
  out.set(head);
  out.set(options.dataset, head.length);
  return out;
}

/**
 * Splits a Part 10 file into meta and dataset bytes, parsing the whole file
 * with dcmjs to make sure it is well formed. Throws an Error saying what is
 * wrong otherwise.
 *
 * @example
 * ```ts
 * import { readPart10 } from "./part10.ts";
 * const file = readPart10(await Deno.readFile("ct.dcm"));
 * console.log(file.sopClassUid, file.transferSyntax, file.dataset.length);
 * ```
 */
export function readPart10(bytes: Uint8Array): Part10File {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const dict = DicomMessage.readFile(buffer);
  const meta = dict.meta as Record<string, { Value?: unknown[] }>;
  const value = (tag: string) => String(meta[tag]?.Value?.[0] ?? "");
  // The meta group length (0002,0000) is at offset 132: 12 bytes of element, then the group.
  const view = new DataView(buffer);
  const groupLength = view.getUint32(140, true);
  const file = {
    sopClassUid: value("00020002") ||
      String((dict.dict as Record<string, { Value?: unknown[] }>)["00080016"]?.Value?.[0] ?? ""),
    sopInstanceUid: value("00020003") ||
      String((dict.dict as Record<string, { Value?: unknown[] }>)["00080018"]?.Value?.[0] ?? ""),
    transferSyntax: value("00020010"),
    dataset: bytes.subarray(144 + groupLength),
  };
  if (!file.sopClassUid || !file.sopInstanceUid || !file.transferSyntax) {
    throw new Error("the file has no SOP Class UID, SOP Instance UID or Transfer Syntax UID");
  }
  return file;
}

/**
 * Writes a received dataset as a Part 10 file `SOPInstanceUID.dcm` in `dir`,
 * atomically: a temporary file in the same folder, then a rename, so a reader
 * never sees half a file. The dataset is first parsed with dcmjs; a dataset
 * it cannot read is refused with an Error (and nothing is written). Returns
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
  // A UID is digits and dots; anything else must not become a path.
  const name = /^[0-9.]{1,64}$/.test(options.sopInstanceUid)
    ? options.sopInstanceUid
    : crypto.randomUUID();
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
