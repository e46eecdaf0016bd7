import { toJson } from "../text/mod.ts";
import { InputError } from "../yaml/input_error.ts";
import { type Command, EXIT, parseFlags } from "./command.ts";
import { SCU_FLAGS, SCU_USAGE, scuOptionsFromFlags } from "./_scu_flags.ts";

/**
 * `dicomtls echo HOST:PORT --called AE ...`: one secure C-ECHO, reported
 * stage by stage (or as the Outcome record with `--json`). Exit 0 when the
 * echo succeeded, 1 when the peer or our verification refused, 2 for bad
 * usage or unreadable files.
 *
 * @example
 * ```ts
 * import { echoCommand } from "./echo.ts";
 * await echoCommand.run(["127.0.0.1:11112", "--called", "STORESCP", "--ca", "root.crt"]);
 * ```
 */
export const echoCommand: Command = {
  usage: `usage: dicomtls echo HOST:PORT --called AE [options]

Opens TLS to HOST:PORT, verifies the SCP's certificate, requests an
association, sends a C-ECHO and releases. Prints one line per stage, or the
Outcome record with --json. Exit 0: echo succeeded; 1: refused or failed;
2: bad usage or unreadable files.

${SCU_USAGE}`,
  async run(args) {
    const { values, positionals } = parseFlags("echo", args, SCU_FLAGS);
    if (positionals.length > 1) {
      throw new InputError({
        message: `expected one HOST:PORT, got ${positionals.length} arguments`,
        hint: "dicomtls echo 127.0.0.1:11112 --called STORESCP",
      });
    }
    const options = await scuOptionsFromFlags("echo", positionals[0], values);
    // Loaded once the command line is good: a refused one costs no DICOM or TLS module.
    const [{ runScu }, { renderOutcome }] = await Promise.all([
      import("../scu/mod.ts"),
      import("../report/outcome_text.ts"),
    ]);
    const outcome = await runScu({ ...options, operations: [{ command: "C-ECHO" }] });
    console.log(values.json ? toJson(outcome, { indent: 2 }) : renderOutcome(outcome));
    return outcome.ok ? EXIT.ok : EXIT.failed;
  },
};
