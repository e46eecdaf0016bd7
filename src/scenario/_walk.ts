import { isAbsolute, relative, resolve, sep } from "node:path";
import { Part10FileError, readPart10File } from "../part10/mod.ts";
import type { YamlPath, YamlSource } from "../yaml/mod.ts";

/** Every value at `pattern` ("*" matches any key or index), with its path. */
export function* valuesAt(
  value: unknown,
  pattern: readonly (string | number)[],
  path: YamlPath = [],
): Generator<[YamlPath, unknown]> {
  if (pattern.length === 0) {
    yield [path, value];
    return;
  }
  if (!value || typeof value !== "object") return;
  const [step, ...rest] = pattern;
  const keys = step === "*"
    ? (Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value))
    : [step];
  for (const k of keys) {
    const child = (value as Record<string | number, unknown>)[k];
    if (child !== undefined) yield* valuesAt(child, rest, [...path, k]);
  }
}

/** A string or a list of strings as a list ("one or a list" in scenarios). */
export function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Resolves `file` from the scenario's folder and checks that it exists (a
 * regular file unless `directory`), or throws an InputError at `path`.
 */
export async function existingPath(
  source: YamlSource,
  options: { dir: string; file: string; path: YamlPath; what: string; directory?: boolean },
): Promise<string> {
  const full = resolve(options.dir, options.file);
  let stat: Deno.FileInfo | undefined;
  try {
    stat = await Deno.stat(full);
  } catch {
    // reported below
  }
  const wanted = options.directory ? "folder" : "file";
  // A FIFO would block the reading of its first bytes for good; a device is read without end.
  if (stat && !options.directory && !stat.isFile && !stat.isDirectory) {
    throw source.error(
      options.path,
      `${options.what} '${options.file}' is not a regular file (a device, pipe or socket)`,
      `give a ${options.what} saved on disk`,
    );
  }
  if (!stat || stat.isDirectory !== !!options.directory) {
    throw source.error(
      options.path,
      `${options.what} '${options.file}' ${
        stat ? `is not a ${wanted}` : "does not exist"
      } (looked for ${displayPath(full)})`,
      "relative paths resolve from the scenario file's folder; ${suite.dir} is that folder",
    );
  }
  return full;
}

/**
 * Resolves a DICOM file `file` like {@linkcode existingPath} and reads it
 * whole as `dicomtls store` would send it (bounded, data set walked, UIDs
 * checked), or throws an InputError at `path`: a store case would otherwise
 * fail only when it runs. Each file is read once per size and time of change.
 */
export async function existingPart10File(
  source: YamlSource,
  options: { dir: string; file: string; path: YamlPath },
): Promise<string> {
  const full = await existingPath(source, { ...options, what: "DICOM file" });
  const info = await Deno.stat(full).catch(() => undefined);
  const key = `${info?.size}:${info?.mtime?.getTime()}:${full}`;
  let problem = _checked.get(key);
  if (!problem) {
    // Only what is wrong is kept, never the file: a suite may name files of hundreds of MB.
    problem = readPart10File(full).then(() => undefined, (e: unknown) => e);
    _checked.set(key, problem);
  }
  const e = await problem;
  if (!e) return full;
  if (!(e instanceof Part10FileError)) throw e;
  throw source.error(
    options.path,
    e.kind === "not-part10"
      ? `'${options.file}' is not a DICOM Part 10 file: ${e.reason}`
      : `DICOM file '${options.file}' cannot be read: ${e.reason}`,
    e.hint,
  );
}

// What reading each DICOM file found, by size, time of change and path.
const _checked = new Map<string, Promise<unknown>>();

/**
 * A path as the user reads it: relative to the working directory when inside it, `/` separated.
 *
 * @example
 * ```ts
 * import { displayPath } from "./_walk.ts";
 * displayPath(Deno.cwd() + "/a/b.yaml"); // "a/b.yaml"
 * ```
 */
export function displayPath(file: string): string {
  const rel = relative(Deno.cwd(), resolve(file));
  const shown = rel.startsWith("..") || isAbsolute(rel) ? resolve(file) : rel;
  return shown.split(sep).join("/");
}
