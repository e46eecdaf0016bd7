/** Where a problem in an input file sits: 1-based line and column. */
export interface SourceLocation {
  /** The file as the user named it. */
  file: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
}

/** Options for {@linkcode InputError}. */
export interface InputErrorOptions {
  /** What is wrong, e.g. "unknown key 'isuer'". */
  message: string;
  /** Where it is; omitted for problems that have no file (a bad flag). */
  location?: SourceLocation;
  /** How to fix it, e.g. "did you mean 'issuer'?". */
  hint?: string;
}

/**
 * A problem with what the user gave us (a file, a flag, a value): reported as
 * one line `file:line:column: message (hint)`, exit code 2, never a stack trace.
 *
 * @example
 * ```ts
 * import { InputError } from "./input_error.ts";
 * throw new InputError({
 *   message: "unknown key 'isuer'",
 *   location: { file: "pki.yaml", line: 4, column: 5 },
 *   hint: "did you mean 'issuer'?",
 * });
 * ```
 */
export class InputError extends Error {
  /** The error name, "InputError". */
  override name = "InputError";
  /** Where the problem is, when it is in a file. */
  readonly location?: SourceLocation;
  /** How to fix it. */
  readonly hint?: string;
  /** The message without location and hint. */
  readonly detail: string;

  /** An error whose message reads `file:line:column: message (hint: ...)`. */
  constructor(options: InputErrorOptions) {
    super(formatInputError(options));
    this.detail = options.message;
    this.location = options.location;
    this.hint = options.hint;
  }
}

function formatInputError({ message, location, hint }: InputErrorOptions): string {
  let where = "";
  if (location) {
    where = location.file;
    if (location.line !== undefined) where += `:${location.line}`;
    if (location.line !== undefined && location.column !== undefined) {
      where += `:${location.column}`;
    }
    where += ": ";
  }
  return `${where}${message}${hint ? ` (hint: ${hint})` : ""}`;
}
