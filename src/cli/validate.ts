import { findSuiteFiles, loadSuite, parseSetFlags } from "../scenario/mod.ts";
import { InputError } from "../yaml/mod.ts";
import { type Command, EXIT, parseFlags } from "./command.ts";

/**
 * `dicomtls validate PATH... [--set KEY=VALUE]`: loads every suite (schema,
 * PKI spec and names, files, variables, expectations) without connecting
 * anywhere. Prints `FILE: ok: N cases` per valid suite and the error line of
 * each invalid one; exit 0 when all are valid, 2 otherwise.
 *
 * @example
 * ```ts
 * import { validateCommand } from "./validate.ts";
 * await validateCommand.run(["scenarios/demo"]); // 0 when every suite is valid
 * ```
 */
export const validateCommand: Command = {
  usage: `usage: dicomtls validate PATH... [--set KEY=VALUE]... [--pki-cache DIR]

Loads and validates every suite in PATH (a scenario file, or a folder of *.yaml
files) as 'run' would, generating or reusing each suite's PKI, but connects to
nothing and starts nothing. Prints 'FILE: ok: N cases' per valid suite and one
line 'FILE:LINE:COLUMN: what is wrong (hint: how to fix it)' per invalid one.
Exit 0 when every suite is valid, 2 otherwise.

  --set KEY=VALUE   a value for \${set.KEY} (repeatable)
  --pki-cache DIR   where generated PKIs are cached (default ~/.cache/dicomtls/pki)`,
  async run(args) {
    const { values, positionals } = parseFlags("validate", args, {
      set: { type: "string", multiple: true },
      "pki-cache": { type: "string" },
    });
    if (positionals.length === 0) {
      throw new InputError({
        message: "no PATH given",
        hint: "e.g. dicomtls validate scenarios/",
      });
    }
    const set = parseSetFlags(values.set);
    let invalid = 0;
    for (const path of positionals) {
      try {
        for (const file of await findSuiteFiles([path])) {
          try {
            const suite = await loadSuite({ file, set, pkiCacheDir: values["pki-cache"] });
            const n = suite.cases.length;
            const m = suite.instances.length;
            console.log(
              `${suite.file}: ok: ${n} case${n === 1 ? "" : "s"}${
                m > 1 ? ` (${m} matrix entries)` : ""
              }`,
            );
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            invalid++;
            console.error(e.message);
          }
        }
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        invalid++;
        console.error(e.message);
      }
    }
    return invalid ? EXIT.usage : EXIT.ok;
  },
};
