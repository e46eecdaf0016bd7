/**
 * Many `dicomtls` command lines in ONE child process, for tests with a
 * hundred refusals: a child per line spends ~0.3-0.9 CPU-seconds loading the
 * program each time. The child (this file as a program) imports
 * `src/cli/main.ts`, runs each line's `main(args)` in turn in the line's
 * working folder, with everything printed captured as a child's pipes would
 * hold it, and writes the results to a file. The working folder and the
 * environment it changes are its own process's: nothing reaches the other
 * test files, which `deno test --parallel` runs as workers of one process.
 *
 * @module
 */
import { format } from "node:util";
import { join } from "node:path";
import { DICOMTLS_MAIN, type DicomtlsResult } from "./cli.ts";

/** One command line of a batch. */
export interface BatchLine {
  args: readonly string[];
  /** Working folder; default the batch's. */
  cwd?: string;
}

/** How a line ended; `hung` when it outlived the guard (its code is then -1). */
export interface BatchResult extends DicomtlsResult {
  hung: boolean;
}

/** Options of {@linkcode runDicomtlsBatch}. */
export interface BatchOptions {
  /** Working folder of the child; default this process's. */
  cwd?: string;
  /** Longest wait for one line before it is `hung` and the next starts; default 60 s. */
  guardMs?: number;
}

/**
 * Runs each of `lines` through the program's `main()` in one child process
 * (with `NO_COLOR=1` and stdin closed, as `runDicomtls` starts it) and
 * returns their results in order. Throws when the child itself fails or
 * prints anything outside the captured lines.
 *
 * @example
 * ```ts
 * import { runDicomtlsBatch } from "./cli_batch.ts";
 * const [a, b] = await runDicomtlsBatch([{ args: ["ehco"] }, { args: ["version"] }]);
 * // a.code 2, b.code 0
 * ```
 */
export async function runDicomtlsBatch(
  lines: readonly BatchLine[],
  options: BatchOptions = {},
): Promise<BatchResult[]> {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-cli-batch-" });
  try {
    const input = join(dir, "lines.json");
    const output = join(dir, "results.json");
    // String(): as a child's argv holds them (a randomized line may hold an undefined).
    const strings = lines.map((l) => ({ ...l, args: l.args.map(String) }));
    await Deno.writeTextFile(
      input,
      JSON.stringify({ lines: strings, guardMs: options.guardMs ?? 60_000 }),
    );
    // output() pipes stdout and stderr.
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(import.meta.url).pathname, input, output],
      cwd: options.cwd,
      env: { NO_COLOR: "1" },
      stdin: "null",
    }).output();
    const d = new TextDecoder();
    const escaped = d.decode(stdout) + d.decode(stderr);
    if (code !== 0 || escaped !== "") {
      throw new Error(`the batch child exited ${code}, printing outside its lines:\n${escaped}`);
    }
    return JSON.parse(await Deno.readTextFile(output));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

type _Writer = { write(p: Uint8Array): Promise<number>; writeSync(p: Uint8Array): number };

// Runs `fn` with console.* and Deno.stdout/stderr writes captured, in order, as a child's
// pipes would hold them (console.error of an Error with its stack, as Deno prints it).
async function _capture<T>(fn: () => Promise<T>) {
  const text = { stdout: "", stderr: "" };
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const saved = { ...console };
  const line = (to: "stdout" | "stderr") => (...a: unknown[]) => {
    text[to] += `${format(...a)}\n`;
  };
  Object.assign(console, {
    log: line("stdout"),
    info: line("stdout"),
    debug: line("stdout"),
    error: line("stderr"),
    warn: line("stderr"),
  });
  const streams = [["stdout", Deno.stdout], ["stderr", Deno.stderr]] as const;
  for (const [to, stream] of streams) {
    const writer = stream as unknown as _Writer;
    writer.writeSync = (p) => {
      text[to] += decoders[to].decode(p, { stream: true });
      return p.length;
    };
    writer.write = (p) => Promise.resolve(writer.writeSync(p));
  }
  try {
    return { value: await fn(), ...text };
  } finally {
    Object.assign(console, saved);
    // The own properties set above hid the prototype's methods; removing them restores those.
    for (const [, stream] of streams) {
      delete (stream as unknown as Partial<_Writer>).writeSync;
      delete (stream as unknown as Partial<_Writer>).write;
    }
  }
}

// The child: INPUT holds the lines, OUTPUT gets the results.
async function _child(input: string, output: string): Promise<void> {
  const { lines, guardMs } = JSON.parse(await Deno.readTextFile(input)) as {
    lines: BatchLine[];
    guardMs: number;
  };
  const { main } = await import(DICOMTLS_MAIN) as { main: (args: string[]) => Promise<number> };
  const home = Deno.cwd();
  const results: BatchResult[] = [];
  for (const { args, cwd } of lines) {
    Deno.chdir(cwd ?? home);
    let hung = false;
    let guard: ReturnType<typeof setTimeout> | undefined;
    const { value, stdout, stderr } = await _capture(() =>
      Promise.race([
        // A rejection is printed and is exit 1, as Deno does with an uncaught one.
        main([...args]).catch((e) => (console.error("error: Uncaught (in promise)", e), 1)),
        new Promise<number>((resolve) => {
          guard = setTimeout(() => resolve((hung = true, -1)), guardMs);
        }),
      ])
    );
    clearTimeout(guard);
    results.push({ code: value, stdout, stderr, hung });
  }
  Deno.chdir(home);
  await Deno.writeTextFile(output, JSON.stringify(results));
  // A hung line may still hold timers or sockets: they end with the process.
  Deno.exit(0);
}

if (import.meta.main) await _child(Deno.args[0], Deno.args[1]);
