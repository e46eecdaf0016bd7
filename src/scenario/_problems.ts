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
      for (const p of e instanceof InputErrors ? e.errors : [e]) this.#add(p);
      return undefined;
    }
  }

  /** Throws what was kept: one InputError, or InputErrors for several. */
  throwIfAny(): void {
    if (this.#found.length) throw InputErrors.of(this.#found);
  }

  // A problem at the same place (a matrix entry repeating a case's, the schema
  // repeating the vocabulary check) is kept once.
  #add(problem: InputError) {
    const l = problem.location;
    const key = l ? `${l.file}:${l.line}:${l.column}` : problem.message;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#found.push(problem);
  }
}
