import { InputError } from "./input_error.ts";
import { fileSystemReason } from "./os_error.ts";

/** Options of {@linkcode readInputFile}. */
export interface ReadInputOptions {
  /** What the file should be, for messages, e.g. "certificate file". */
  what: string;
  /** The most bytes read; a larger file is refused before it is read. */
  maxBytes: number;
  /** Read only the file's first `maxBytes` bytes (what it starts with): a larger file is fine. */
  start?: boolean;
  /** How to fix a problem with the file; default: check the path. */
  hint?: string;
  /** How to fix a file over `maxBytes`; default: give the `what` itself. */
  largeHint?: string;
}

/**
 * A file {@linkcode readInputFile} refused or could not read; `reason` says
 * why without the path, for callers that word the message their own way.
 *
 * @example
 * ```ts
 * import { readInputFile, UnreadableInput } from "./read_input.ts";
 * try { await readInputFile("/dev/zero", { what: "key file", maxBytes: 1024 }); }
 * catch (e) { if (e instanceof UnreadableInput) console.log(e.reason); }
 * ```
 */
export class UnreadableInput extends InputError {
  /** The error name, "UnreadableInput". */
  override name = "UnreadableInput";
  /** Why, e.g. "no such file"; the message is `cannot read WHAT PATH: REASON (hint: ...)`. */
  readonly reason: string;

  /** The problem with `path`, a `what`, and how to fix it. */
  constructor(options: { path: string; what: string; reason: string; hint: string }) {
    super({
      message: `cannot read ${options.what} ${options.path}: ${options.reason}`,
      hint: options.hint,
    });
    this.reason = options.reason;
  }
}

/**
 * The most a file dicomtls reads as a whole may hold, by kind: a certificate,
 * key or PKCS#12 file is a few KiB (a CA bundle a few hundred), a suite or
 * config well under a MiB (the YAML parser takes seconds and ten times the size in
 * memory per MiB).
 */
export const INPUT_LIMITS = { credentials: 8 * 1024 * 1024, yaml: 1024 * 1024 } as const;

/**
 * Reads a file a user named (a certificate, key, PKCS#12, YAML file) as a
 * whole, bounded: a folder, a device (`/dev/zero` never ends) or a pipe is
 * refused before it is opened, a file over `maxBytes` before it is read, and
 * no more than `maxBytes` is read however it grows. Every problem is an
 * {@linkcode InputError} naming the path, what it should be and why.
 *
 * @example
 * ```ts
 * import { INPUT_LIMITS, readInputFile } from "./read_input.ts";
 * const pem = await readInputFile("client.crt", {
 *   what: "certificate file",
 *   maxBytes: INPUT_LIMITS.credentials,
 * });
 * ```
 */
export async function readInputFile(path: string, options: ReadInputOptions): Promise<Uint8Array> {
  const problem = (reason: string, hint?: string) =>
    new UnreadableInput({
      path,
      what: options.what,
      reason,
      hint: hint ?? options.hint ??
        "check the path; relative paths are resolved from the current directory",
    });
  const tooLarge = () =>
    problem(
      `it is larger than the ${mib(options.maxBytes)} a ${options.what} may be`,
      options.largeHint ?? `give the ${options.what} itself`,
    );
  try {
    // stat before open: opening a pipe would wait for a writer.
    const info = await Deno.stat(path);
    if (info.isDirectory) throw problem("it is a folder", `give a ${options.what}, not a folder`);
    if (!info.isFile) {
      throw problem(
        "it is not a regular file (a device, pipe or socket)",
        `give a ${options.what}`,
      );
    }
    if (options.start) {
      using file = await Deno.open(path);
      const bytes = new Uint8Array(options.maxBytes);
      return bytes.subarray(0, await fill(file, bytes));
    }
    if (info.size > options.maxBytes) throw tooLarge();
    using file = await Deno.open(path);
    // Into one buffer of the size stat gave, so that a large file is not held twice.
    const bytes = new Uint8Array(info.size);
    let size = await fill(file, bytes);
    if (size < bytes.length) return bytes.slice(0, size); // it shrank since
    // What it holds beyond (it grew since, or stat gives it as empty, as /proc files): bounded.
    const parts = [bytes];
    for await (const part of file.readable) {
      size += part.length;
      if (size > options.maxBytes) throw tooLarge();
      parts.push(part);
    }
    if (parts.length === 1) return bytes;
    const all = new Uint8Array(size);
    let at = 0;
    for (const part of parts) all.set(part, (at += part.length) - part.length);
    return all;
  } catch (e) {
    throw e instanceof UnreadableInput ? e : problem(readReason(e));
  }
}

// Reads into `bytes` until it is full or the file ends; how many bytes came.
async function fill(file: Deno.FsFile, bytes: Uint8Array): Promise<number> {
  let size = 0;
  while (size < bytes.length) {
    const n = await file.read(bytes.subarray(size));
    if (n === null) break;
    size += n;
  }
  return size;
}

// Why a file could not be read, in words, without the OS's duplicate of the path: the
// reasons of fileSystemReason, but that a missing file is just that when reading.
function readReason(e: unknown): string {
  if ((e as { code?: string }).code === "ENOENT") return "no such file";
  return fileSystemReason(e) ?? (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

function mib(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes} bytes`;
  return bytes % (1024 * 1024 * 1024) === 0
    ? `${bytes / (1024 * 1024 * 1024)} GiB`
    : `${Math.round(bytes / (1024 * 1024))} MiB`;
}
