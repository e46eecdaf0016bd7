/**
 * The `dicomtls` command line: a table of sub-commands, each in its own file.
 * Bad input exits 2 with one line (file:line:column, what, hint), never a
 * stack trace.
 *
 * @example
 * ```ts
 * import { main } from "./mod.ts";
 * Deno.exit(await main(["pki", "fixtures/pki/standard.yaml", "--out", "out/pki"]));
 * ```
 * @module
 */
import { InputError } from "../yaml/input_error.ts";
import { closest } from "../yaml/closest.ts";
import { fileSystemReason } from "../yaml/os_error.ts";
import { InputErrors } from "../yaml/input_errors.ts";
import { terminalSafe } from "../text/terminal.ts";
import { EXIT } from "./command.ts";
import { COMMANDS as commands } from "./commands.ts";
import { versionLine } from "./version.ts";

export * from "./command.ts";
export * from "./commands.ts";

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "dicomtls: conformance and interoperability tester for DICOM over TLS",
    "",
    "usage: dicomtls COMMAND [options]   (dicomtls help COMMAND, or COMMAND --help, for details)",
    "       dicomtls --version",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join("\n");
}

// Commands that never make a temporary file (the OpenSSL stack's socket folder, a report
// written to -, an inbound case's received files): they run with a broken TMPDIR.
const NO_TEMP_FILES = new Set(["pki", "init", "validate"]);

// A TMPDIR that is a file or not writable: said once, before a case or a report fails on it.
async function checkTempDir(): Promise<void> {
  try {
    await Deno.remove(await Deno.makeTempDir({ prefix: ".dicomtls-" }));
  } catch (e) {
    const reason = fileSystemReason(e);
    if (reason === undefined) throw e;
    const set = Deno.env.get("TMPDIR");
    throw new InputError({
      message: `cannot make temporary files in ${set ? `TMPDIR (${set})` : "/tmp"}: ${reason}`,
      hint: set
        ? "set TMPDIR to a folder you may write to, or unset it"
        : "set TMPDIR to a folder you may write to",
    });
  }
}

// Deno could not fetch or cache an npm module we import (on first use, or lazily): its
// cache folder is unusable or the registry unreachable. Its message carries a stack
// fragment with colour codes; one line of it is enough.
function moduleLoadProblem(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  // deno-lint-ignore no-control-regex
  const lines = e.message.replace(/\x1b\[[0-9;]*m/g, "").split("\n");
  if (
    !/^(Failed (caching|loading|downloading|resolving)\b|Could not find npm package)/.test(lines[0])
  ) {
    return undefined;
  }
  const cause = lines.find((l) => /^\s*0: /.test(l))?.replace(/^\s*0: /, "");
  const home = Deno.env.get("HOME");
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  const denoDir = Deno.env.get("DENO_DIR") ??
    (xdg ? `${xdg}/deno` : home ? `${home}/.cache/deno` : undefined);
  const what = `${lines[0].replace(/^F/, "f")}${cause ? `: ${cause}` : ""}`;
  return `the Deno cache${
    denoDir ? ` ${denoDir}` : ""
  } is unusable: ${what} (hint: Deno keeps the modules dicomtls ` +
    "needs in $DENO_DIR, else $XDG_CACHE_HOME/deno, else ~/.cache/deno: make it a folder you " +
    "may write to, or set DENO_DIR to one; the first run there needs the npm registry)";
}

// The commands whose usage lists `option` (e.g. "-v" -> ["run"]), from their help texts.
async function optionOwners(option: string): Promise<string[]> {
  if (!/^--?[\w-]+$/.test(option)) return [];
  const owners: string[] = [];
  for (const c of commands) {
    const { usage } = await c.load();
    if (new RegExp(`^\\s+(-\\w, )?${option}[ ,=\\n]`, "m").test(usage)) owners.push(c.name);
  }
  return owners;
}

// A usage problem before any command runs: one line, exit 2.
function usageError(message: string, hint: string): number {
  console.error(`dicomtls: ${message} (hint: ${hint})`);
  return EXIT.usage;
}

/**
 * Runs one command line and returns its exit code.
 *
 * @example
 * ```ts
 * import { main } from "./mod.ts";
 * const code = await main(["--help"]); // prints the command list, 0
 * ```
 */
export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  // `dicomtls help run` is `dicomtls run --help`.
  if (name === "help" && rest.length > 0) {
    return rest.length === 1 && rest[0] !== "help"
      ? await main([rest[0], "--help"])
      : usageError(`help takes one command, got ${rest.length}`, "e.g. dicomtls help run");
  }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    // `dicomtls version --json` and the like: refused, not answered as if it were understood.
    if (rest.length > 0) {
      return usageError(
        `${name} takes no arguments, got '${terminalSafe(rest[0])}'`,
        "dicomtls --version",
      );
    }
    console.log(versionLine());
    return EXIT.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    if (name.startsWith("-")) {
      // An option before any command: say whose it is instead of the whole list.
      const owners = await optionOwners(name);
      const version = /^-v$|^--v/.test(name) ? "; did you mean --version (-V)?" : "";
      const whose = owners.length > 0
        ? `${name} is an option of ${owners.join(", ")}${version}`
        : version
        ? `did you mean --version (-V)?`
        : "options come after the command: dicomtls --help lists the commands";
      console.error(`dicomtls: unknown option '${terminalSafe(name)}' (hint: ${whose})`);
      return EXIT.usage;
    }
    // One line, as for every other bad input; the list is a --help away.
    const near = closest(name, commands.map((c) => c.name));
    return usageError(
      `unknown command '${terminalSafe(name)}'`,
      `${near ? `did you mean '${near}'? ` : ""}'dicomtls --help' lists the commands: ${
        commands.map((c) => c.name).join(", ")
      }`,
    );
  }
  try {
    const command = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      console.log(command.usage);
      return EXIT.ok;
    }
    if (!NO_TEMP_FILES.has(name)) await checkTempDir();
    return await command.run(rest);
  } catch (e) {
    const modules = moduleLoadProblem(e);
    if (modules) {
      console.error(`dicomtls ${name}: ${terminalSafe(modules)}`);
      return EXIT.usage;
    }
    if (e instanceof InputError) {
      // One line per problem: what it quotes from a file or a peer cannot act on the terminal.
      const problems = e instanceof InputErrors ? e.errors : [e];
      for (const p of problems) console.error(`dicomtls ${name}: ${terminalSafe(p.message)}`);
      return EXIT.usage;
    }
    // Our own bug: say so plainly, still without a stack unless asked.
    console.error(
      `dicomtls ${name}: internal error: ${
        terminalSafe(e instanceof Error ? e.message : String(e))
      }`,
    );
    if (Deno.env.get("DICOMTLS_DEBUG")) console.error(e);
    return EXIT.failed;
  }
}
