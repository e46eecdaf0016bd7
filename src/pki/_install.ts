import { basename, dirname, join } from "node:path";
import { withSignalsDeferred } from "../process/mod.ts";
import { InputError } from "../yaml/mod.ts";

/** One file of a generated PKI. */
export interface PkiFile {
  /** File name inside the PKI folder. */
  name: string;
  data: Uint8Array | string;
  /** Holds a private key (.key, .p12): created 0600. */
  secret?: boolean;
}

/** The manifest is renamed into place last: it names what the folder holds. */
const MANIFEST = "manifest.json";

/**
 * Puts a PKI's files into `dir` without touching anything it did not write:
 * the files are first written into a private (0700) folder beside `dir`, each
 * created with its final mode (0600 for keys, no chmod window). A new `dir`
 * is that folder renamed; in an existing one each file is renamed over the
 * previous generation's, files of the previous generation that are gone from
 * this one are removed, and `manifest.json` comes last. A file `dir` holds
 * that the previous `manifest.json` does not list is the user's: it is kept,
 * and a name clash with it is an {@linkcode InputError}.
 */
export async function installPkiFiles(dir: string, files: PkiFile[]): Promise<void> {
  const parent = dirname(dir);
  let tmp: string;
  try {
    await Deno.mkdir(parent, { recursive: true, mode: 0o700 });
    tmp = await Deno.makeTempDir({ dir: parent, prefix: `.${basename(dir)}.tmp-` });
  } catch (e) {
    throw new InputError({
      message: `cannot write ${dir}: ${e instanceof Error ? e.message : e}`,
      hint: "choose a writable --out folder",
    });
  }
  try {
    for (const file of files) {
      const options = { createNew: true, mode: file.secret ? 0o600 : 0o644 };
      if (typeof file.data === "string") {
        await Deno.writeTextFile(join(tmp, file.name), file.data, options);
      } else await Deno.writeFile(join(tmp, file.name), file.data, options);
    }
    if (!await renameFolder(tmp, dir)) await replaceOwned(tmp, dir, files);
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

// A new `dir` is the temporary folder renamed: false when `dir` exists.
async function renameFolder(tmp: string, dir: string): Promise<boolean> {
  try {
    const info = await Deno.stat(dir);
    if (!info.isDirectory) {
      throw new InputError({
        message: `cannot write ${dir}: it exists and is not a folder`,
        hint: "choose a new or existing folder for --out",
      });
    }
    return false;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  try {
    await Deno.rename(tmp, dir);
    return true;
  } catch (e) {
    // Another process made it meanwhile: merge into it like into any existing PKI.
    if (e instanceof Deno.errors.AlreadyExists || /not empty/i.test(String(e))) return false;
    throw e;
  }
}

async function replaceOwned(tmp: string, dir: string, files: PkiFile[]) {
  const owned = await ownedFiles(dir);
  const clashes = [];
  for (const { name } of files) {
    const info = await Deno.lstat(join(dir, name)).catch(() => undefined);
    if (info && (!owned.has(name) || !info.isFile)) clashes.push(name);
  }
  if (clashes.length > 0) {
    throw new InputError({
      message: `cannot write ${dir}: ${clashes.slice(0, 3).join(", ")}${
        clashes.length > 3 ? ` and ${clashes.length - 3} more` : ""
      } ${
        clashes.length === 1 ? "is" : "are"
      } not from an earlier dicomtls pki run (not in its manifest.json) and would be replaced`,
      hint: "move those files away, or choose another --out folder",
    });
  }
  const names = new Set(files.map((f) => f.name));
  const gone = [...owned].filter((name) => !names.has(name));
  await withSignalsDeferred(async () => {
    for (const name of names) {
      if (name !== MANIFEST) await Deno.rename(join(tmp, name), join(dir, name));
    }
    for (const name of gone) {
      const info = await Deno.lstat(join(dir, name)).catch(() => undefined);
      if (info?.isFile) await Deno.remove(join(dir, name));
    }
    if (names.has(MANIFEST)) await Deno.rename(join(tmp, MANIFEST), join(dir, MANIFEST));
  });
}

/**
 * The files an earlier run wrote into `dir`, as its manifest lists them (any
 * schema version that has `entries[].files`): the manifest, the Windows import
 * script and every entry's files. Empty when there is no readable manifest.
 */
export async function ownedFiles(dir: string): Promise<Set<string>> {
  let manifest: { entries?: { files?: Record<string, unknown> }[] };
  try {
    manifest = JSON.parse(await Deno.readTextFile(join(dir, MANIFEST)));
  } catch {
    return new Set();
  }
  if (!Array.isArray(manifest?.entries)) return new Set();
  const owned = new Set([MANIFEST, "import-windows.ps1"]);
  for (const entry of manifest.entries) {
    for (const file of Object.values(entry?.files ?? {})) {
      // Only plain names: a manifest naming ../x must not make us delete it.
      if (typeof file === "string" && basename(file) === file && !file.startsWith(".")) {
        owned.add(file);
      }
    }
  }
  return owned;
}
