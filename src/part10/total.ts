import { MAX_PART10_FILE_BYTES } from "./read_file.ts";

/** Why a {@linkcode Part10Total} refuses a file: what, and how to fix it. */
export interface Part10TotalProblem {
  /** E.g. "the files to send up to this one hold 2.1 GiB, more than ...". */
  message: string;
  /** How to fix it. */
  hint: string;
}

/**
 * The bytes of the distinct files one command sends, which it holds in
 * memory until they are sent (`store`'s files, the `files:` of all cases of
 * a `run`), against {@linkcode MAX_PART10_FILE_BYTES} in all; counted from
 * their sizes, before any is read. A run holds one copy per path (`distinct`);
 * `store` reads a file named twice twice. Says the problem once: the file
 * that passes the bound is the one to name.
 *
 * @example
 * ```ts
 * import { Part10Total } from "./total.ts";
 * const total = new Part10Total({ hint: "store them in several runs", distinct: false });
 * total.add("/data/ct1.dcm", 1.5 * 1024 ** 3); // undefined
 * total.add("/data/ct2.dcm", 1.5 * 1024 ** 3)?.message; // "the files to send up to this one hold 3.0 GiB, ..."
 * ```
 */
export class Part10Total {
  #seen = new Set<string>();
  #bytes = 0;
  #refused = false;
  readonly #hint: string;
  readonly #distinct: boolean;

  /**
   * A total for a command whose `hint` says how to send fewer files at
   * once; `distinct`: each path counts once, however often it is added.
   */
  constructor(options: { hint: string; distinct: boolean }) {
    this.#hint = options.hint;
    this.#distinct = options.distinct;
  }

  /** Counts the file at `path` of `size` bytes; the problem when it passes the bound. */
  add(path: string, size: number): Part10TotalProblem | undefined {
    if (this.#refused || (this.#distinct && this.#seen.has(path))) return undefined;
    // One file over the bound alone is refused by its reader, in words about that file.
    if (size > MAX_PART10_FILE_BYTES) return undefined;
    this.#seen.add(path);
    this.#bytes += size;
    if (this.#bytes <= MAX_PART10_FILE_BYTES) return undefined;
    this.#refused = true;
    return {
      message: `the files to send up to this one hold ${
        (this.#bytes / 1024 ** 3).toFixed(1)
      } GiB, more than the 2 GiB dicomtls keeps in memory at once`,
      hint: this.#hint,
    };
  }
}
