import { InputError } from "../yaml/input_error.ts";
import { readInputFile, UnreadableInput } from "../yaml/read_input.ts";
import { checkPart10Start, PART10_START_BYTES, type Part10File, readPart10 } from "./part10.ts";
import type { Part10Error } from "./part10_error.ts";

/**
 * The most a file to send may hold, and all the files one command sends
 * together: each is held whole until it is sent, so 2 GiB.
 */
export const MAX_PART10_FILE_BYTES = 2 * 1024 ** 3;

/**
 * Reads a Part 10 file a user named to send (`dicomtls store`, a case's
 * `files:`), bounded: never a folder, device (`/dev/zero`) or pipe, a file
 * that does not start as Part 10 refused from its first bytes (a large file
 * of anything else is not read), one over {@linkcode MAX_PART10_FILE_BYTES}
 * refused before it is read, then the whole data set walked and its UIDs
 * checked. Every problem is an {@linkcode InputError} at the path, with a hint.
 *
 * @example
 * ```ts
 * import { readPart10File } from "./read_file.ts";
 * const file = await readPart10File("ct.dcm");
 * console.log(file.sopClassUid, file.dataset.length);
 * ```
 */
export async function readPart10File(path: string): Promise<Part10File> {
  const notDicom = (e: unknown, hint: string) =>
    new Part10FileError({
      path,
      kind: "not-part10",
      reason: (e as Error).message,
      hint,
    });
  let bytes: Uint8Array;
  try {
    try {
      checkPart10Start(
        await readInputFile(path, {
          what: "DICOM file",
          maxBytes: PART10_START_BYTES,
          start: true,
        }),
      );
    } catch (e) {
      if (e instanceof UnreadableInput) throw e;
      throw notDicom(e, "give files with the 128-byte preamble, 'DICM' and a meta group (PS3.10)");
    }
    bytes = await readInputFile(path, {
      what: "DICOM file",
      maxBytes: MAX_PART10_FILE_BYTES,
      largeHint: "dicomtls holds a file whole to send it; send a smaller one (a few frames)",
    });
  } catch (e) {
    if (!(e instanceof UnreadableInput)) throw e;
    throw new Part10FileError({ path, kind: "unreadable", reason: e.reason, hint: e.hint });
  }
  try {
    return readPart10(bytes, { checkUids: true });
  } catch (e) {
    throw notDicom(
      e,
      (e as Part10Error).hint ??
        "the file is damaged (cut short?) or not DICOM; dcmdump FILE shows where it goes wrong",
    );
  }
}

/**
 * Why {@linkcode readPart10File} refused a file, at the path: its message
 * reads `PATH: not a DICOM Part 10 file: REASON` or `PATH: cannot read:
 * REASON`; `kind` and `reason` let a caller word it at its own place (a
 * suite's `files:` line) without reading the message.
 *
 * @example
 * ```ts
 * import { Part10FileError } from "./read_file.ts";
 * const e = new Part10FileError({ path: "a.dcm", kind: "unreadable", reason: "it is a folder" });
 * e.message; // "a.dcm: cannot read: it is a folder"
 * ```
 */
export class Part10FileError extends InputError {
  /** `not-part10`: read, but no Part 10 file to send; `unreadable`: not read. */
  readonly kind: "not-part10" | "unreadable";
  /** What is wrong, without the path and the kind's words. */
  readonly reason: string;
  /** The refusal of the file at `path`. */
  constructor(
    o: { path: string; kind: "not-part10" | "unreadable"; reason: string; hint?: string },
  ) {
    const words = o.kind === "unreadable" ? "cannot read" : "not a DICOM Part 10 file";
    super({ message: `${words}: ${o.reason}`, location: { file: o.path }, hint: o.hint });
    this.kind = o.kind;
    this.reason = o.reason;
  }
}
