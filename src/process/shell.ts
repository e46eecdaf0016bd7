// Characters a POSIX shell reads specially: such an argument is quoted.
const SHELL_SPECIAL = /[^\w@%+=:,./~-]/;

/**
 * One argument as a POSIX shell reads it back: as it is when it holds only
 * characters a shell takes literally, else in single quotes (a `'` inside as
 * `'\''`). For the command lines we print to be pasted (reports, `pki`,
 * `init`).
 *
 * @example
 * ```ts
 * import { shellQuote } from "./shell.ts";
 * shellQuote("/tmp/pki/root.crt"); // "/tmp/pki/root.crt"
 * shellQuote("my dev/pki"); // "'my dev/pki'"
 * shellQuote("it's"); // "'it'\\''s'"
 * ```
 */
export function shellQuote(arg: string): string {
  if (arg === "") return "''";
  return SHELL_SPECIAL.test(arg) ? `'${arg.replace(/'/g, `'\\''`)}'` : arg;
}

/**
 * A command line as one line to paste into a POSIX shell, each argument
 * through {@linkcode shellQuote}.
 *
 * @example
 * ```ts
 * import { shellLine } from "./shell.ts";
 * shellLine(["dicomtls", "run", "my suite.yaml"]); // "dicomtls run 'my suite.yaml'"
 * ```
 */
export function shellLine(args: readonly string[]): string {
  return args.map(shellQuote).join(" ");
}

/**
 * One argument as PowerShell reads it back: as it is when it holds only
 * plain characters, else in single quotes (a `'` inside doubled).
 *
 * @example
 * ```ts
 * import { powerShellQuote } from "./shell.ts";
 * powerShellQuote("C:\\pki\\import-windows.ps1"); // as it is
 * powerShellQuote("/tmp/my dev/import-windows.ps1"); // "'/tmp/my dev/import-windows.ps1'"
 * ```
 */
export function powerShellQuote(arg: string): string {
  if (arg === "") return "''";
  return /^[\w:.\\/-]+$/.test(arg) && !arg.startsWith("-") ? arg : `'${arg.replaceAll("'", "''")}'`;
}
