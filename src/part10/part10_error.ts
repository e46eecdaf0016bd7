/**
 * A Part 10 file that cannot be read: what is wrong and where (a byte of the
 * file), and, where the fault has one, how to fix it, so that a caller shows
 * the hint without matching the message's words.
 *
 * @example
 * ```ts
 * import { Part10Error } from "./part10_error.ts";
 * const e = new Part10Error({
 *   message: "the file has no SOP Class UID (0002,0002)",
 *   hint: "a file to store names its SOP class, instance and transfer syntax UIDs in its meta group",
 * });
 * e.hint; // "a file to store names ..."
 * ```
 */
export class Part10Error extends Error {
  /** The error name, "Part10Error". */
  override name = "Part10Error";
  /** How to fix the file, when the fault says it. */
  readonly hint?: string;
  /** An error saying `message`, with `hint` when there is one. */
  constructor(options: { message: string; hint?: string }) {
    super(options.message);
    this.hint = options.hint;
  }
}
