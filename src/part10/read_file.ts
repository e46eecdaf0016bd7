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
    new InputError({
      message: (e as Error).message.replace(
        /^(?!not a DICOM Part 10 file)/,
        "not a DICOM Part 10 file: ",
      ),
      location: { file: path },
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
    throw new InputError({
      message: `cannot read: ${e.reason}`,
      location: { file: path },
      hint: e.hint,
    });
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
