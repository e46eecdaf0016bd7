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
    "usage: dicomtls COMMAND [options]   (dicomtls COMMAND --help for details)",
    "       dicomtls --version",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join("\n");
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
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    console.log(versionLine());
    return EXIT.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    console.error(`dicomtls: unknown command '${terminalSafe(name)}'\n\n${help()}`);
    return EXIT.usage;
  }
  try {
    const command = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      console.log(command.usage);
      return EXIT.ok;
    }
    return await command.run(rest);
  } catch (e) {
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
