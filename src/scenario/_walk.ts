import { isAbsolute, relative, resolve, sep } from "node:path";
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
 * Resolves a DICOM file `file` like {@linkcode existingPath} and checks that
 * it is a DICOM Part 10 file (a 128-byte preamble, then 'DICM'), or throws an
 * InputError at `path`: a store case would otherwise fail only when it runs.
 */
export async function existingPart10File(
  source: YamlSource,
  options: { dir: string; file: string; path: YamlPath },
): Promise<string> {
  const full = await existingPath(source, { ...options, what: "DICOM file" });
  const head = new Uint8Array(132);
  let got = 0;
  try {
    using f = await Deno.open(full);
    for (let n: number | null = 0; got < head.length && n !== null; got += n ?? 0) {
      n = await f.read(head.subarray(got));
    }
  } catch (e) {
    throw source.error(
      options.path,
      `DICOM file '${options.file}' cannot be read: ${(e as Error).message}`,
      "check its permissions",
    );
  }
  if (got < head.length || new TextDecoder().decode(head.subarray(128)) !== "DICM") {
    throw source.error(
      options.path,
      `'${options.file}' is not a DICOM Part 10 file: ${
        got < head.length ? `it has ${got} bytes, ` : ""
      }no 'DICM' after the 128-byte preamble`,
      "give a file with its preamble and File Meta Information; dcmconv +F writes one",
    );
  }
  return full;
}

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
