import { InputError } from "./input_error.ts";

/**
 * Several problems of one input found in one pass (every broken case of a
 * suite, not only the first): an {@linkcode InputError} whose message is one
 * line per problem, with each problem in `errors`.
 *
 * @example
 * ```ts
 * import { InputError, InputErrors } from "./mod.ts";
 * const all = new InputErrors([
 *   new InputError({ message: "unknown PKI name 'clent'", location: { file: "s.yaml", line: 9 } }),
 *   new InputError({ message: "port 0 is out of range", location: { file: "s.yaml", line: 4 } }),
 * ]);
 * all.errors.length; // 2
 * ```
 */
export class InputErrors extends InputError {
  /** The error name, "InputErrors". */
  override name = "InputErrors";
  /** Each problem, in the order found. */
  readonly errors: readonly InputError[];

  /** One error per problem; at least one. */
  constructor(errors: readonly InputError[]) {
    super({ message: errors.map((e) => e.message).join("\n") });
    this.errors = errors;
  }

  /**
   * The problems of `errors`, flattened: one error as itself, several as
   * {@linkcode InputErrors}.
   *
   * @example
   * ```ts
   * import { InputError, InputErrors } from "./mod.ts";
   * declare const found: InputError[];
   * if (found.length) throw InputErrors.of(found);
   * ```
   */
  static of(errors: readonly InputError[]): InputError {
    const flat = errors.flatMap((e) => e instanceof InputErrors ? e.errors : [e]);
    return flat.length === 1 ? flat[0] : new InputErrors(flat);
  }
}
