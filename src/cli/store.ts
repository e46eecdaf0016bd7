import { join } from "node:path";
import { type Part10File, readPart10 } from "../part10/mod.ts";
import { runScu, type ScuOperation } from "../scu/mod.ts";
import { renderOutcome } from "../report/outcome_text.ts";
import { InputError } from "../yaml/mod.ts";
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
    console.log(values.json ? JSON.stringify(outcome, null, 2) : renderOutcome(outcome));
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
  try {
    if (!(await Deno.stat(path)).isDirectory) return [path];
    const names: string[] = [];
    for await (const entry of Deno.readDir(path)) {
      if (!entry.name.startsWith(".")) names.push(entry.name);
    }
    const nested = await Promise.all(names.sort().map((name) => filesIn(join(path, name))));
    return nested.flat();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw unreadable(path, e);
  }
}

async function readDicomFile(path: string): Promise<Part10File> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw unreadable(path, e);
  }
  try {
    return readPart10(bytes);
  } catch (e) {
    throw new InputError({
      message: `not a DICOM Part 10 file: ${(e as Error).message}`,
      location: { file: path },
      hint: "give files with the 128-byte preamble, 'DICM' and a meta group (PS3.10)",
    });
  }
}

function unreadable(path: string, e: unknown): InputError {
  return new InputError({
    message: `cannot read: ${(e as Error).message}`,
    location: { file: path },
  });
}
