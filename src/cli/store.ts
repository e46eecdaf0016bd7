import { join } from "node:path";
import { type Part10File, readPart10 } from "../part10/mod.ts";
import { runScu, type ScuOperation } from "../scu/mod.ts";
import { renderOutcome } from "../report/outcome_text.ts";
import { toJson } from "../text/mod.ts";
import { InputError } from "../yaml/mod.ts";
import { fileSystemReason } from "../yaml/os_error.ts";
import { readInputFile, UnreadableInput } from "../yaml/read_input.ts";
import { type Command, EXIT, parseFlags } from "./command.ts";
import { SCU_FLAGS, SCU_USAGE, scuOptionsFromFlags } from "./_scu_flags.ts";

/**
 * `dicomtls store HOST:PORT FILE|DIR... --called AE ...`: every Part 10 file
 * (folders recursively) sent with C-STORE over one secure association,
 * reported stage by stage (or as the Outcome record with `--json`). Exit 0
 * when every file was stored with status Success, 1 otherwise, 2 for bad
 * usage or a file that is unreadable or not DICOM (checked before connecting).
 *
 * @example
 * ```ts
 * import { storeCommand } from "./store.ts";
 * await storeCommand.run(["127.0.0.1:11112", "ct.dcm", "--called", "STORESCP", "--ca", "root.crt"]);
 * ```
 */
export const storeCommand: Command = {
  usage: `usage: dicomtls store HOST:PORT FILE|DIR... --called AE [options]

Reads every FILE (a DIR: every file in it, recursively, but dot-files) as a
DICOM Part 10 file, opens TLS to HOST:PORT, verifies the SCP's certificate,
requests one association with a presentation context per SOP class and
transfer syntax, sends one C-STORE per file and releases. Prints one line per
stage, or the Outcome record with --json. Exit 0: every file stored with
Success; 1: refused or any status other than Success; 2: bad usage, or a file
that cannot be read or is not DICOM (nothing is sent then).

${SCU_USAGE}`,
  async run(args) {
    const { values, positionals } = parseFlags("store", args, SCU_FLAGS);
    const [target, ...paths] = positionals;
    if (paths.length === 0) {
      throw new InputError({
        message: "no files to store",
        hint: "dicomtls store 127.0.0.1:11112 image.dcm --called STORESCP",
      });
    }
    const options = await scuOptionsFromFlags("store", target, values);
    const operations: ScuOperation[] = [];
    for (const file of await filesOf(paths)) {
      operations.push({ command: "C-STORE", file: await readDicomFile(file), name: file });
    }
    const outcome = await runScu({ ...options, operations });
    console.log(values.json ? toJson(outcome, { indent: 2 }) : renderOutcome(outcome));
    return outcome.ok ? EXIT.ok : EXIT.failed;
  },
};

// The files named, each folder replaced by the files in it.
async function filesOf(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const inside = await filesIn(path);
    if (inside.length === 0) {
      throw new InputError({
        message: "the folder holds no files to store",
        location: { file: path },
      });
    }
    files.push(...inside);
  }
  return files;
}

// A file itself, or a folder's files recursively, sorted, without dot-files (a storage
// folder may hold a writer's temporary files).
async function filesIn(path: string): Promise<string[]> {
  // What is no folder (or cannot be looked at) is read as a file: its reading says what is wrong.
  const info = await Deno.stat(path).catch(() => undefined);
  if (!info?.isDirectory) return [path];
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(path)) {
      if (!entry.name.startsWith(".")) names.push(entry.name);
    }
  } catch (e) {
    throw new InputError({
      message: `cannot read the folder: ${fileSystemReason(e) ?? (e as Error).message}`,
      location: { file: path },
      hint: "give a folder you may read",
    });
  }
  const nested = await Promise.all(names.sort().map((name) => filesIn(join(path, name))));
  return nested.flat();
}

async function readDicomFile(path: string): Promise<Part10File> {
  // Bounded, and never a device (/dev/zero) or a pipe: a C-STORE sends the file whole.
  let bytes: Uint8Array;
  try {
    bytes = await readInputFile(path, { what: "DICOM file", maxBytes: STORE_FILE_MAX });
  } catch (e) {
    if (!(e instanceof UnreadableInput)) throw e;
    throw new InputError({
      message: `cannot read: ${e.reason}`,
      location: { file: path },
      hint: e.hint,
    });
  }
  try {
    return readPart10(bytes);
  } catch (e) {
    throw new InputError({
      message: (e as Error).message.replace(
        /^(?!not a DICOM Part 10 file)/,
        "not a DICOM Part 10 file: ",
      ),
      location: { file: path },
      hint: "give files with the 128-byte preamble, 'DICM' and a meta group (PS3.10)",
    });
  }
}

// The largest file store reads (it holds each whole): 2 GiB.
const STORE_FILE_MAX = 2 * 1024 ** 3;
