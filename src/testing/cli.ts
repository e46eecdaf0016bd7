/**
 * The `dicomtls` program in a child process, for the tests that run the
 * command line: always `src/cli/main.ts` (what `deno task dicomtls` runs),
 * with `deno run -A`, stdin closed and `NO_COLOR=1`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

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
