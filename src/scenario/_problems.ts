import { InputError, InputErrors } from "../yaml/mod.ts";

/**
 * The problems a loader found so far: it goes on where it can (the next case,
 * the next matrix entry) and reports every problem of a file at the end, each
 * once.
 */
export class Problems {
  #found: InputError[] = [];
  #seen = new Set<string>();

  /** Runs `step`; an InputError it throws is kept (undefined is returned), any other passes. */
  async collect<T>(step: () => T | Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      for (const p of e instanceof InputErrors ? e.errors : [e]) this.add(p);
      return undefined;
    }
  }

  /**
   * Keeps one problem; one at the same place as a kept one (a matrix entry
   * repeating a case's, the schema repeating the vocabulary check) is kept once.
   */
  add(problem: InputError): void {
    const l = problem.location;
    const key = l ? `${l.file}:${l.line}:${l.column}` : problem.message;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#found.push(problem);
  }

  /**
   * Throws what was kept: one InputError, or InputErrors for several, in the
   * order of each file (files in the order first seen).
   */
  throwIfAny(): void {
    if (!this.#found.length) return;
    const files = [...new Set(this.#found.map((p) => p.location?.file))];
    const rank = (p: InputError) => [
      files.indexOf(p.location?.file),
      p.location?.line ?? 0,
      p.location?.column ?? 0,
    ];
    const sorted = [...this.#found].sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
    });
    throw InputErrors.of(sorted);
  }
}
