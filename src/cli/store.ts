import type { ScuOperation } from "../scu/mod.ts";
import { toJson } from "../text/mod.ts";
import { InputError } from "../yaml/input_error.ts";
import { type Command, EXIT, parseFlags } from "./command.ts";
import { SCU_FLAGS, SCU_USAGE, scuOptionsFromFlags } from "./_scu_flags.ts";

/**
 * `dicomtls store HOST:PORT FILE|DIR... --called AE ...`: every Part 10 file
 * (folders recursively) sent with C-STORE over one secure association,
 * reported stage by stage (or as the Outcome record with `--json`). Exit 0
 * when every file was stored with status Success, 1 otherwise, 2 for bad
 * usage or a file that is unreadable or not DICOM (checked before connecting).
 *
 * @example
 * ```ts
 * import { storeCommand } from "./store.ts";
 * await storeCommand.run(["127.0.0.1:11112", "ct.dcm", "--called", "STORESCP", "--ca", "root.crt"]);
 * ```
 */
export const storeCommand: Command = {
  usage: `usage: dicomtls store HOST:PORT FILE|DIR... --called AE [options]

Reads every FILE (a DIR: every file in it, recursively, but dot-files) as a
DICOM Part 10 file, opens TLS to HOST:PORT, verifies the SCP's certificate,
requests one association with a presentation context per SOP class and
transfer syntax, sends one C-STORE per file and releases. Prints one line per
stage, or the Outcome record with --json. Exit 0: every file stored with
Success; 1: refused or any status other than Success; 2: bad usage, or a file
that cannot be read or is not DICOM (nothing is sent then).

${SCU_USAGE}`,
  async run(args) {
    const { values, positionals } = parseFlags("store", args, SCU_FLAGS);
    const [target, ...paths] = positionals;
    if (paths.length === 0) {
      throw new InputError({
        message: "no files to store",
        hint: "dicomtls store 127.0.0.1:11112 image.dcm --called STORESCP",
      });
    }
    const options = await scuOptionsFromFlags("store", target, values);
    // Loaded once the command line is good: a refused one costs no DICOM or TLS module.
    const [{ storeFiles }, { runScu }, { renderOutcome }] = await Promise.all([
      import("./_store_files.ts"),
      import("../scu/mod.ts"),
      import("../report/outcome_text.ts"),
    ]);
    const operations: ScuOperation[] = (await storeFiles(paths)).map(({ path, file }) => ({
      command: "C-STORE",
      file,
      name: path,
    }));
    const outcome = await runScu({ ...options, operations });
    console.log(values.json ? toJson(outcome, { indent: 2 }) : renderOutcome(outcome));
    return outcome.ok ? EXIT.ok : EXIT.failed;
  },
};
