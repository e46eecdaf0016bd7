import type { Case } from "./types.ts";

/**
 * Makes the parts cases have in common one object: the same case in every
 * matrix entry, and cases with the same harness settings, otherwise hold
 * equal copies of them (100,000 cases of a large matrix held 2.7 kB each;
 * sharing brings that to a few hundred bytes). Parts are compared by their
 * JSON: they are plain data, and nothing changes a case once it is built.
 */
export class _SharedParts {
  #known = new Map<string, unknown>();

  /** The case, with its location, tags, files, matrix, harness and expectation shared. */
  case(c: Case): Case {
    return {
      ...c,
      location: this.#one(c.location),
      tags: this.#one(c.tags),
      files: this.#one(c.files),
      ...(c.matrix ? { matrix: this.#one(c.matrix) } : {}),
      harness: this.#one(c.harness),
      expect: this.#one(c.expect),
    };
  }

  #one<T>(value: T): T {
    const key = JSON.stringify(value);
    const known = this.#known.get(key);
    if (known !== undefined) return known as T;
    this.#known.set(key, value);
    return value;
  }
}
