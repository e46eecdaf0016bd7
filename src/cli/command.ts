import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { closest } from "../yaml/closest.ts";
import { InputError } from "../yaml/input_error.ts";
import { terminalSafe } from "../text/terminal.ts";
import { dcmtkHint } from "./_dcmtk_options.ts";
import { formatDuration, parseDuration } from "../scenario/duration.ts";

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
 * errors into an {@linkcode InputError} that names the option as typed and
 * suggests ours: the nearest flag for a typo, our spelling for a DCMTK option
 * (`-aec`, `+tls`, `+cf`, ...), else `--help`.
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
  let parsed: ParsedFlags<T>;
  const joined = joinDashValues(args, options);
  try {
    const { tokens, ...rest } = parseArgs({
      args: joined,
      options,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    checkRepeated(command, tokens, options);
    parsed = rest as ParsedFlags<T>;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw flagError(command, joined, options, e as Error);
  }
  // DCMTK's + options are positionals to parseArgs; none of ours starts with +.
  const plus = parsed.positionals.find((p) => /^\+[a-z]/.test(p));
  if (plus) throw unknownOption(command, plus, options);
  return parsed;
}

// A flag of one value given twice with two values (`--called A --called B`): parseArgs keeps
// the last silently, so the one typed first, perhaps in a script's defaults, was lost unseen.
function checkRepeated(
  command: string,
  tokens: readonly { kind: string; name?: string; value?: string }[],
  options: FlagSpec,
): void {
  const seen = new Map<string, string>();
  for (const t of tokens) {
    const spec = t.kind === "option" && t.name !== undefined ? options[t.name] : undefined;
    if (t.name === undefined || spec?.type !== "string" || spec.multiple) continue;
    const before = seen.get(t.name);
    const value = t.value ?? "";
    if (before !== undefined && before !== value) {
      throw new InputError({
        message: `option '--${t.name}' given twice, as '${terminalSafe(before)}' and '${
          terminalSafe(value)
        }'`,
        hint: `give --${t.name} once (run 'dicomtls ${command} --help' for the options)`,
      });
    }
    seen.set(t.name, value);
  }
}

/**
 * `--timeout -5` as `--timeout=-5`: parseArgs calls a value that starts with a
 * dash "ambiguous", so a negative number never reached the flag's own check
 * (and its range in the message). A dash value that is not one of the
 * command's options is the value; one that is (`--timeout -v`) is left to
 * parseArgs, which says the value is missing.
 */
function joinDashValues(args: string[], options: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return [...out, ...args.slice(i)];
    const next = args[i + 1];
    const option = arg.startsWith("--") && !arg.includes("=")
      ? [arg.slice(2), options[arg.slice(2)]] as const
      : /^-[^-]$/.test(arg)
      ? Object.entries(options).find(([, o]) => o.short === arg[1])
      : undefined;
    if (
      option?.[1]?.type === "string" && next !== undefined && next.length > 1 &&
      next.startsWith("-") && !isOption(next, options)
    ) {
      out.push(`--${option[0]}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

// Whether `token` names one of the options (long, or a short one or a group of them).
function isOption(token: string, options: FlagSpec): boolean {
  if (token.startsWith("--")) return token.slice(2).split("=")[0] in options;
  return Object.values(options).some((o) => o.short === token[1]);
}

function flagError(command: string, args: string[], options: FlagSpec, e: Error): InputError {
  const code = (e as { code?: string }).code;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const token = unknownToken(args, options) ?? /'([^']+)'/.exec(e.message)?.[1] ?? "?";
    return unknownOption(command, token, options);
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && /ambiguous/.test(e.message)) {
    // `--timeout -v`: the value is missing and an option of ours came instead.
    const flag = /'(-[^' ]+)/.exec(e.message)?.[1] ?? "?";
    const at = args.findIndex((a) => a === flag || a === `-${flagShort(flag, options)}`);
    const next = at >= 0 ? args[at + 1] : undefined;
    return new InputError({
      message: `option '${flag}' has no value${
        next ? ` ('${terminalSafe(next)}' is an option of ${command})` : ""
      }`,
      hint: `give its value after it, or as ${flag}=VALUE`,
    });
  }
  // e.g. "Option '--timeout <value>' argument missing": one sentence, no quote left open.
  const sentence = e.message.split(/\.\s|\n/)[0].replace(/\.$/, "");
  return new InputError({
    message: sentence.replace(/^Option /, "option "),
    hint: `run 'dicomtls ${command} --help' for the options`,
  });
}

// The short letter of a long option, e.g. "v" for "--verbose"; "" when it has none.
function flagShort(flag: string, options: FlagSpec): string {
  return options[flag.replace(/^--/, "")]?.short ?? "";
}

// The argument as typed (`-aec`, not the `-a` parseArgs stops at), skipping option values.
function unknownToken(args: string[], options: FlagSpec): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return undefined;
    if (!arg.startsWith("-") || arg === "-") continue;
    const name = arg.replace(/^--?/, "").split("=")[0];
    const known = arg.startsWith("--")
      ? options[name]
      : Object.values(options).find((o) => o.short === name);
    if (!known) return arg.split("=")[0];
    if (known.type === "string" && !arg.includes("=")) i++;
  }
  return undefined;
}

function unknownOption(command: string, token: string, options: FlagSpec): InputError {
  const flags = Object.keys(options);
  const near = token.startsWith("--") ? closest(token.slice(2), flags) : undefined;
  return new InputError({
    message: `unknown option '${terminalSafe(token)}'`,
    hint: dcmtkHint(token, { command, flags }) ??
      (near ? `did you mean --${near}?` : `run 'dicomtls ${command} --help' for the options`),
  });
}

/** The range of a number flag and an example of a good value for the hint. */
export interface FlagRange {
  /** The lowest value allowed. */
  min: number;
  /** The highest value allowed. */
  max: number;
  /** A typical value, shown as `e.g. --flag EXAMPLE`; default `min`. */
  example?: number | string;
}

/**
 * Refuses an empty folder path given as `name` (a flag or argument):
 * `join("", "report.html")` would write into the working folder unasked.
 *
 * @example
 * ```ts
 * import { folderPathFlag } from "./command.ts";
 * folderPathFlag("--out", "reports/demo", "--out reports/demo"); // passes
 * ```
 */
export function folderPathFlag(name: string, value: string | undefined, example: string): void {
  if (value?.trim() === "") {
    throw new InputError({ message: `${name}: the folder path is empty`, hint: `e.g. ${example}` });
  }
}

/**
 * Parses a whole number flag within a range, or throws an {@linkcode InputError}
 * whose hint is a sensible value of that flag.
 *
 * @example
 * ```ts
 * import { intFlag } from "./command.ts";
 * intFlag("--concurrency", "8", { min: 1, max: 1000, example: 4 }); // 8
 * ```
 */
export function intFlag(flag: string, value: string, range: FlagRange): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new InputError({
      message: `${flag} must be a whole number from ${range.min} to ${range.max}, not '${
        terminalSafe(value)
      }'`,
      hint: `e.g. ${flag} ${range.example ?? range.min}`,
    });
  }
  return n;
}

/**
 * Parses a duration flag as scenarios write durations (`5s`, `500ms`, `2m`;
 * a bare number is milliseconds) within a range of milliseconds, or throws
 * an {@linkcode InputError}.
 *
 * @example
 * ```ts
 * import { durationFlag } from "./command.ts";
 * durationFlag("--timeout", "5s", { min: 1, max: 3_600_000, example: "5s" }); // 5000
 * durationFlag("--timeout", "250", { min: 1, max: 3_600_000 }); // 250
 * ```
 */
export function durationFlag(flag: string, value: string, range: FlagRange): number {
  const trimmed = value.trim();
  const duration = (text: string) =>
    parseDuration(/^\d+(\.\d+)?$/.test(text) ? Number(text) : text);
  // A negative duration is one out of range, not an unknown spelling.
  const negative = /^-/.test(trimmed) && duration(trimmed.slice(1)) !== undefined;
  const ms = negative ? -1 : duration(trimmed);
  const hint = `e.g. ${flag} ${range.example ?? formatDuration(range.min)}`;
  if (ms === undefined) {
    throw new InputError({
      message:
        `${flag} must be a duration such as 500ms, 5s or 2m (a bare number is milliseconds), not '${
          terminalSafe(value)
        }'`,
      hint,
    });
  }
  if (ms < range.min || ms > range.max) {
    throw new InputError({
      message: `${flag} must be from ${formatDuration(range.min)} to ${
        formatDuration(range.max)
      }, not '${terminalSafe(value)}'`,
      hint,
    });
  }
  return ms;
}

const SIZE_UNITS: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/**
 * Parses a size flag: bytes, or with a binary unit (`512K`, `16M`, `2G`;
 * K, M, G are 1024, 1024², 1024³), within a range of bytes, or throws an
 * {@linkcode InputError}.
 *
 * @example
 * ```ts
 * import { sizeFlag } from "./command.ts";
 * sizeFlag("--max-object-size", "2G", { min: 1, max: 2 ** 40, example: "2G" }); // 2147483648
 * ```
 */
export function sizeFlag(flag: string, value: string, range: FlagRange): number {
  const m = /^(\d+)([KMG]?)i?B?$/i.exec(value.trim());
  const bytes = m ? Number(m[1]) * SIZE_UNITS[m[2].toUpperCase()] : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < range.min || bytes > range.max) {
    throw new InputError({
      message: `${flag} must be a size in bytes, e.g. 1048576, 512K, 16M or 2G, not '${
        terminalSafe(value)
      }'`,
      hint: `e.g. ${flag} ${range.example ?? range.min}`,
    });
  }
  return bytes;
}

/**
 * Parses a flag that takes one of a few words, or throws an
 * {@linkcode InputError} listing them, with the nearest as a hint.
 *
 * @example
 * ```ts
 * import { choiceFlag } from "./command.ts";
 * choiceFlag("--tls-stack", "openssl", ["rustls", "openssl"], "openssl"); // "openssl"
 * ```
 */
export function choiceFlag<T extends string>(
  flag: string,
  value: string,
  choices: readonly T[],
  example: string,
): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  const near = closest(value, choices);
  const list = `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}`;
  throw new InputError({
    message: `${flag} must be ${list}, not '${terminalSafe(value)}'`,
    hint: near ? `did you mean '${near}'?` : `e.g. ${flag} ${example}`,
  });
}
