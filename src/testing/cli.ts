/**
 * The `dicomtls` program in a child process, for the tests that run the
 * command line: always `src/cli/main.ts` (what `deno task dicomtls` runs),
 * with `deno run -A`, stdin closed and `NO_COLOR=1`; also as installed
 * (`installDicomtls`) and a project task (`runDenoTask`).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import config from "../../deno.json" with { type: "json" };

// The project folder, where deno.json is.
const PROJECT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * `src/cli/main.ts` as an absolute path: the program `deno task dicomtls` runs.
 *
 * @example
 * ```ts
 * import { DICOMTLS_MAIN } from "./cli.ts";
 * DICOMTLS_MAIN.endsWith("src/cli/main.ts"); // true
 * ```
 */
export const DICOMTLS_MAIN: string = fileURLToPath(new URL("../cli/main.ts", import.meta.url));

/** Where and with what environment the program runs. */
export interface DicomtlsOptions {
  /** Working folder; default this process's. */
  cwd?: string;
  /** Added to this process's environment (after `NO_COLOR=1`). */
  env?: Record<string, string>;
  /** Kills the program when aborted (a guard against a hang: `AbortSignal.timeout(ms)`). */
  signal?: AbortSignal;
}

/** How the program ended and what it printed. */
export interface DicomtlsResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The command line that runs `dicomtls ARGS`, for `startProcess` and other
 * spawners.
 *
 * @example
 * ```ts
 * import { dicomtlsCommand } from "./cli.ts";
 * dicomtlsCommand(["serve", "--port", "0"]); // [deno, "run", "-A", ".../src/cli/main.ts", "serve", ...]
 * ```
 */
export function dicomtlsCommand(args: readonly string[]): string[] {
  return [Deno.execPath(), "run", "-A", DICOMTLS_MAIN, ...args];
}

function command(args: readonly string[], options: DicomtlsOptions): Deno.Command {
  const [program, ...rest] = dicomtlsCommand(args);
  return new Deno.Command(program, {
    args: rest,
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: options.signal,
  });
}

/**
 * Runs `dicomtls ARGS` to its end and returns its exit code and output.
 *
 * @example
 * ```ts
 * import { runDicomtls } from "./cli.ts";
 * const { code, stdout } = await runDicomtls(["validate", "scenarios/demo"]);
 * ```
 */
export async function runDicomtls(
  args: readonly string[],
  options: DicomtlsOptions = {},
): Promise<DicomtlsResult> {
  const { code, stdout, stderr } = await command(args, options).output();
  const d = new TextDecoder();
  return { code, stdout: d.decode(stdout), stderr: d.decode(stderr) };
}

/**
 * Starts `dicomtls ARGS` and returns the running child (stdout and stderr
 * piped), for tests that read its output as it comes or send it a signal.
 *
 * @example
 * ```ts
 * import { spawnDicomtls } from "./cli.ts";
 * const child = spawnDicomtls(["run", "scenarios/demo"]);
 * child.kill("SIGINT");
 * const { code } = await child.output();
 * ```
 */
export function spawnDicomtls(
  args: readonly string[],
  options: DicomtlsOptions = {},
): Deno.ChildProcess {
  return command(args, options).spawn();
}

/** The result of {@linkcode installDicomtls}: the program installed and the root it went to. */
export interface InstalledDicomtls {
  /** `ROOT/bin/dicomtls`. */
  bin: string;
  /** The installation root. */
  root: string;
}

/**
 * Installs `dicomtls` as the project documents it (deno.json's `install`
 * task: `deno install -g ... --config deno.json src/cli/main.ts`, from the
 * project folder) into `root` instead of `~/.deno`.
 *
 * @example
 * ```ts
 * import { installDicomtls } from "./cli.ts";
 * const { bin } = await installDicomtls({ root: await Deno.makeTempDir() });
 * await new Deno.Command(bin, { args: ["--version"] }).output();
 * ```
 */
export async function installDicomtls(options: { root: string }): Promise<InstalledDicomtls> {
  const task = (config.tasks as Record<string, string>).install;
  const [deno, install, global, ...rest] = task.split(/\s+/);
  if (deno !== "deno" || install !== "install" || global !== "-g") {
    throw new Error(`deno.json's install task is not 'deno install -g ...': ${task}`);
  }
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [install, global, "--root", options.root, ...rest],
    cwd: PROJECT,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`${task} failed: ${new TextDecoder().decode(stderr)}`);
  return { bin: `${options.root}/bin/dicomtls`, root: options.root };
}

/**
 * Runs `deno task NAME ARGS` in the project folder (as the README's first
 * commands do) with `env` added, and returns how it ended and what it printed.
 *
 * @example
 * ```ts
 * import { runDenoTask } from "./cli.ts";
 * const { code, stderr } = await runDenoTask("demo", ["--out", "/tmp/demo"], { env: { DENO_DIR: "/tmp/empty" } });
 * ```
 */
export async function runDenoTask(
  name: string,
  args: readonly string[],
  options: DicomtlsOptions = {},
): Promise<DicomtlsResult> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", name, ...args],
    cwd: options.cwd ?? PROJECT,
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code, stdout: d.decode(stdout), stderr: d.decode(stderr) };
}

/** What {@linkcode captureConsole} gives: the value and every console line, as printed. */
export interface Captured<T> {
  value: T;
  /** console.log lines. */
  out: string[];
  /** console.error lines. */
  err: string[];
}

/**
 * Runs `fn` with console.log and console.error captured (and restored after),
 * for tests that call the command line in-process (`main(args)` from
 * src/cli/mod.ts), faster than a child process.
 *
 * @example
 * ```ts
 * import { captureConsole } from "./cli.ts";
 * const { value, out } = await captureConsole(() => Promise.resolve(console.log("hi") ?? 0));
 * ```
 */
export async function captureConsole<T>(fn: () => Promise<T>): Promise<Captured<T>> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    return { value: await fn(), out, err };
  } finally {
    Object.assign(console, { log, error });
  }
}

/**
 * Where `bytes` (a CLI's stdout or stderr) hold what must never reach a
 * terminal raw: a C0 control but LF, DEL, and as UTF-8 a C1 control, a bidi
 * or zero-width control. Empty when the output is safe.
 *
 * @example
 * ```ts
 * import { unsafeOnTerminal } from "./cli.ts";
 * unsafeOnTerminal(new TextEncoder().encode("ok\n")); // []
 * unsafeOnTerminal(new TextEncoder().encode("\x1b[2J")); // ["byte 0x1b at 0"]
 * ```
 */
export function unsafeOnTerminal(bytes: Uint8Array): string[] {
  const found: string[] = [];
  bytes.forEach((b, i) => {
    if ((b < 0x20 && b !== 0x0a) || b === 0x7f) found.push(`byte 0x${b.toString(16)} at ${i}`);
  });
  const text = new TextDecoder().decode(bytes);
  for (const m of text.matchAll(/[\u0080-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g)) {
    found.push(`U+${m[0].codePointAt(0)!.toString(16)} at char ${m.index}`);
  }
  return found;
}
