import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { InputError } from "../yaml/input_error.ts";

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * One `dicomtls` sub-command (its name and summary are in the command
 * table). `run` returns the exit code; it throws {@linkcode InputError} for
 * bad usage or input (exit 2, one line, no stack).
 *
 * @example
 * ```ts
 * import type { Command } from "./command.ts";
 * const hello: Command = {
 *   usage: "dicomtls hello NAME",
 *   run: (args) => { console.log(`hello ${args[0]}`); return Promise.resolve(0); },
 * };
 * ```
 */
export interface Command {
  /** Full help text, printed by `dicomtls NAME --help`. */
  usage: string;
  /** Runs the command with its arguments (after the name) and returns the exit code. */
  run(args: string[]): Promise<number>;
}

/** Options of {@linkcode parseFlags}. */
export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;

/** What {@linkcode parseFlags} gives for a flag spec: the typed values and the positionals. */
export type ParsedFlags<T extends FlagSpec> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/**
 * Parses a command's flags with `node:util` parseArgs (strict), turning its
 * errors into an {@linkcode InputError} that points at `--help`.
 *
 * @example
 * ```ts
 * import { parseFlags } from "./command.ts";
 * const { values, positionals } = parseFlags("echo", Deno.args, { json: { type: "boolean" } });
 * ```
 */
export function parseFlags<T extends FlagSpec>(
  command: string,
  args: string[],
  options: T,
): ParsedFlags<T> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new InputError({
      message: `dicomtls ${command}: ${(e as Error).message.split("\n")[0]}`,
      hint: `run 'dicomtls ${command} --help' for the options`,
    });
  }
}

/**
 * Parses a whole number flag within a range, or throws an {@linkcode InputError}.
 *
 * @example
 * ```ts
 * import { intFlag } from "./command.ts";
 * intFlag("--port", "104", { min: 0, max: 65535 }); // 104
 * ```
 */
export function intFlag(flag: string, value: string, range: { min: number; max: number }): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new InputError({
      message: `${flag} must be a whole number from ${range.min} to ${range.max}, not '${value}'`,
      hint: `e.g. ${flag} ${Math.max(range.min, Math.min(range.max, 104))}`,
    });
  }
  return n;
}
