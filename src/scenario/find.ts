import { join } from "node:path";
import { InputError, readYamlFile } from "../yaml/mod.ts";

/**
 * The scenario files named by `paths`: files as given, folders as their
 * `*.yaml`/`*.yml` files sorted by name. A path that does not exist is an
 * {@linkcode InputError}.
 *
 * @example
 * ```ts
 * import { findSuiteFiles } from "./find.ts";
 * await findSuiteFiles(["scenarios/demo"]); // ["scenarios/demo/a.yaml", ...]
 * ```
 */
export async function findSuiteFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let stat: Deno.FileInfo;
    try {
      stat = await Deno.stat(path);
    } catch {
      throw new InputError({
        message: `no such file or folder: ${path}`,
        hint: "give scenario files or folders of *.yaml files",
      });
    }
    if (!stat.isDirectory) {
      files.push(path);
      continue;
    }
    const names: string[] = [];
    const folders: string[] = [];
    for await (const e of Deno.readDir(path)) {
      if (e.isDirectory) folders.push(join(path, e.name));
      if (!/\.ya?ml$/.test(e.name)) continue;
      // A link to a suite is a suite (a dangling one, reported by the loader, not skipped).
      const linked = e.isSymlink &&
        await Deno.stat(join(path, e.name)).then((s) => !s.isDirectory, () => true);
      if (e.isFile || linked) names.push(e.name);
    }
    if (names.length === 0) {
      // `run scenarios` of this repository: the suites are one level down, and folders are
      // not searched recursively, so name the folders that would do.
      const below = await _foldersWithYaml(folders.sort());
      throw new InputError({
        message: `no *.yaml files in ${path}`,
        hint: below.length
          ? `folders are not searched recursively; give the folders that hold suites: ${
            below.join(" ")
          }`
          : "give a folder that holds scenario files",
      });
    }
    files.push(...names.sort().map((n) => join(path, n)));
  }
  return files;
}

// The folders among `folders` with a *.yaml file of their own.
async function _foldersWithYaml(folders: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const folder of folders) {
    for await (const e of Deno.readDir(folder)) {
      if (/\.ya?ml$/.test(e.name)) {
        found.push(folder);
        break;
      }
    }
  }
  return found;
}

/** A file of a folder that is not a suite, and why. */
export interface IgnoredFile {
  /** The file, as found in the folder given. */
  file: string;
  /** Why it is not a suite, e.g. "a PKI spec (authorities, certificates), not a suite". */
  reason: string;
}

/** What {@linkcode findSuites} found. */
export interface FoundSuites {
  /** The suite files, in the order given (a folder's sorted by name). */
  files: string[];
  /** The YAML files of the folders that are not suites (a PKI spec, a variables file). */
  ignored: IgnoredFile[];
  /** Suite files named again (another path to one file, or a folder and a file in it): not in `files`. */
  repeated: RepeatedSuite[];
}

/** A suite file named again: `file` as named this time, `first` as named before. */
export interface RepeatedSuite {
  /** The path as named this time. */
  file: string;
  /** The path as named the first time. */
  first: string;
}

/**
 * What a note says of a suite named again (the caller adds what it does
 * about it, and escapes it for the terminal).
 *
 * @example
 * ```ts
 * import { repeatedText } from "./find.ts";
 * repeatedText({ file: "s.yaml", first: "s.yaml" }); // "s.yaml is named more than once"
 * repeatedText({ file: "dir/s.yaml", first: "s.yaml" }); // "dir/s.yaml is s.yaml again"
 * ```
 */
export function repeatedText({ file, first }: RepeatedSuite): string {
  return file === first ? `${file} is named more than once` : `${file} is ${first} again`;
}

/**
 * The suites named by `paths`: a file is a suite as given; in a folder, a
 * `*.yaml`/`*.yml` file is a suite when it has a top-level `suite:` (or
 * `cases:`/`peers:`, a suite with its name missing), so a PKI spec or a
 * variables file beside the suites is listed as ignored, with the reason.
 * A file named twice (by a folder and by itself, or by two paths) is listed
 * once, the others in `repeated` (across calls that share `options.seen`, as
 * `validate` makes one per path). A path that does not exist, or a folder
 * without a suite, is an {@linkcode InputError}.
 *
 * @example
 * ```ts
 * import { findSuites } from "./find.ts";
 * const { files, ignored } = await findSuites(["scenarios/device"]);
 * ignored; // [{ file: "scenarios/device/pki.yaml", reason: "a PKI spec ..." }]
 * ```
 */
export async function findSuites(
  paths: string[],
  options: {
    /** The files found by earlier calls (real path to the path given), to list each once across calls; updated. */
    seen?: Map<string, string>;
  } = {},
): Promise<FoundSuites> {
  const found: FoundSuites = { files: [], ignored: [], repeated: [] };
  for (const path of paths) {
    const folder = await Deno.stat(path).then((s) => s.isDirectory, () => false);
    const files = await findSuiteFiles([path]);
    if (!folder) {
      found.files.push(...files);
      continue;
    }
    const before = found.files.length;
    for (const file of files) {
      const reason = await notASuite(file);
      if (reason) found.ignored.push({ file, reason });
      else found.files.push(file);
    }
    if (found.files.length === before) {
      throw new InputError({
        message: `no suite in ${path}: no *.yaml file there has a top-level 'suite:'`,
        hint: found.ignored.filter((i) => i.file.startsWith(path)).map((i) =>
          `${i.file}: ${i.reason}`
        ).join("; "),
      });
    }
  }
  // Each suite once: `run DIR DIR/s.yaml` ran s.yaml twice, with the same case ids (which
  // merge then took for one).
  const seen = options.seen ?? new Map<string, string>();
  const unique: string[] = [];
  for (const file of found.files) {
    const real = await Deno.realPath(file).catch(() => file);
    const first = seen.get(real);
    if (first !== undefined) found.repeated.push({ file, first });
    else {
      seen.set(real, file);
      unique.push(file);
    }
  }
  found.files = unique;
  return found;
}

// Why a folder's YAML file is not a suite, or undefined when it is one (or may
// be: a file that does not parse is left to the loader, which says where).
async function notASuite(file: string): Promise<string | undefined> {
  let value: unknown;
  try {
    value = (await readYamlFile(file)).value;
  } catch {
    return undefined;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return "not a mapping with a top-level 'suite:'";
  }
  const keys = Object.keys(value);
  if (["suite", "cases", "peers"].some((k) => keys.includes(k))) return undefined;
  if (isPkiSpec(value)) return "a PKI spec (authorities, certificates), not a suite";
  return `no top-level 'suite:' (its keys: ${keys.slice(0, 6).join(", ")})`;
}

/**
 * Whether a parsed YAML file is a PKI spec rather than a suite: a mapping
 * with `authorities:` or `certificates:` and none of a suite's top-level keys.
 *
 * @example
 * ```ts
 * import { isPkiSpec } from "./find.ts";
 * isPkiSpec({ authorities: [], certificates: [] }); // true
 * isPkiSpec({ suite: "s", pki: "pki.yaml" }); // false
 * ```
 */
export function isPkiSpec(value: unknown): boolean {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return !["suite", "cases", "peers"].some((k) => keys.includes(k)) &&
    (keys.includes("authorities") || keys.includes("certificates"));
}
