import { join } from "node:path";
import { type Part10File, Part10Total, readPart10File } from "../part10/mod.ts";
import { InputError } from "../yaml/input_error.ts";
import { fileSystemReason } from "../yaml/os_error.ts";

/** One file `dicomtls store` sends: the path as found and the file read. */
export interface StoreFile {
  /** The path, the folder named on the command line joined with the names below it. */
  path: string;
  /** Its meta information and data set. */
  file: Part10File;
}

/**
 * The Part 10 files `dicomtls store` sends for the paths given: a file
 * itself, a folder's files recursively in name order without dot-files (a
 * storage folder may hold a writer's temporary files). Refuses, with an
 * {@linkcode InputError} naming the path, anything it could not send whole:
 * a folder it cannot read or reached again through a symbolic link (a loop),
 * a path with no files, a device or pipe, a file that is no Part 10 file
 * (looked at from its first bytes, so that a large file of anything else
 * is not read), files over 2 GiB in all ({@linkcode Part10Total}).
 *
 * @example
 * ```ts
 * import { storeFiles } from "./_store_files.ts";
 * for (const { path, file } of await storeFiles(["series/"])) console.log(path, file.sopClassUid);
 * ```
 */
export async function storeFiles(paths: readonly string[]): Promise<StoreFile[]> {
  const found: { path: string; size: number }[] = [];
  for (const path of paths) {
    const before = found.length;
    await collect(path, new Set(), found);
    if (found.length === before) {
      throw new InputError({
        message: "the folder holds no files to store",
        location: { file: path },
        hint: "files whose names start with a dot are left out",
      });
    }
  }
  const total = new Part10Total({ hint: "store them in several runs", distinct: false });
  for (const { path, size } of found) {
    const over = total.add(path, size);
    if (over) throw new InputError({ ...over, location: { file: path } });
  }
  const files: StoreFile[] = [];
  for (const { path } of found) files.push({ path, file: await readPart10File(path) });
  return files;
}

// The files under `path` into `found`, with their sizes; `within` holds the real paths of
// the folders being walked, so that a link back to one is a loop, not endless work.
async function collect(
  path: string,
  within: Set<string>,
  found: { path: string; size: number }[],
): Promise<void> {
  // What is no folder (or cannot be looked at) is read as a file: its reading says what is wrong.
  const info = await Deno.stat(path).catch(() => undefined);
  if (!info?.isDirectory) {
    found.push({ path, size: info?.size ?? 0 });
    return;
  }
  const real = await Deno.realPath(path);
  if (within.has(real)) {
    throw new InputError({
      message: `a symbolic link back to the folder ${real} it is in (a loop)`,
      location: { file: path },
      hint: "remove the link, or name the folders to store",
    });
  }
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
  // One at a time: a wide tree must not open a folder handle per entry at once.
  const inside = new Set(within).add(real);
  for (const name of names.sort()) await collect(join(path, name), inside, found);
}
