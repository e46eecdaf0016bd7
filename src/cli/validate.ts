import { InputError } from "../yaml/input_error.ts";
import { InputErrors } from "../yaml/input_errors.ts";
import { terminalSafe } from "../text/mod.ts";
import { type Command, EXIT, parseFlags } from "./command.ts";
import { SUITE_FLAGS, SUITE_USAGE, suiteLoadOptions } from "./_suite_flags.ts";

/**
 * `dicomtls validate PATH... [--set KEY=VALUE] [--vars FILE] [--pki DIR]`:
 * loads every suite (schema, PKI spec and names, files, credentials,
 * variables, expectations) without connecting anywhere. Prints
 * `FILE: ok: N cases` per valid suite, every problem of each invalid one (one
 * line each), and the files of a folder that are not suites; exit 0 when all
 * are valid, 2 otherwise.
 *
 * @example
 * ```ts
 * import { validateCommand } from "./validate.ts";
 * await validateCommand.run(["scenarios/demo"]); // 0 when every suite is valid
 * ```
 */
export const validateCommand: Command = {
  usage: `usage: dicomtls validate PATH... [options]

Loads and validates every suite in PATH (a scenario file, or a folder: its
*.yaml files with a top-level 'suite:') as 'run' would, generating or reusing
each suite's PKI and opening every certificate, key and PKCS#12 file, but
connects to nothing and starts nothing. Prints 'FILE: ok: N cases' per valid
suite and one line 'FILE:LINE:COLUMN: what is wrong (hint: how to fix it)' per
problem, every problem of a file, not only the first. The YAML files of a
folder that are not suites (a PKI spec, a variables file) are listed as
ignored, with the reason. Exit 0 when every suite is valid, 2 otherwise.

${SUITE_USAGE}`,
  async run(args) {
    const { values, positionals } = parseFlags("validate", args, SUITE_FLAGS);
    if (positionals.length === 0) {
      throw new InputError({
        message: "no PATH given",
        hint: "e.g. dicomtls validate scenarios/",
      });
    }
    const options = await suiteLoadOptions(values);
    // Loaded once the command line is good: a refused one costs no YAML or schema module.
    const { findSuites, loadSuite, repeatedText } = await import("../scenario/mod.ts");
    let invalid = 0;
    // A problem of a flag or a shared file (--pki, --vars) is found in every suite: said once.
    const said = new Set<string>();
    const report = (e: unknown) => {
      if (!(e instanceof InputError)) throw e;
      invalid++;
      for (const p of e instanceof InputErrors ? e.errors : [e]) {
        if (!said.has(p.message)) console.error(terminalSafe(p.message));
        said.add(p.message);
      }
    };
    // One call per path, so that a path that does not exist spoils only itself; a file
    // named twice (`validate s.yaml s.yaml`, a folder and a file in it) is validated once.
    const seen = new Map<string, string>();
    for (const path of positionals) {
      try {
        const { files, ignored, repeated } = await findSuites([path], { seen });
        for (const r of repeated) {
          const note = `dicomtls validate: note: ${terminalSafe(repeatedText(r))}: validated once`;
          if (!said.has(note)) console.error(note);
          said.add(note);
        }
        for (const { file, reason } of ignored) {
          console.log(`${terminalSafe(file)}: ignored: ${reason}`);
        }
        for (const file of files) {
          try {
            const suite = await loadSuite({ ...options, file });
            const n = suite.cases.length;
            const m = suite.instances.length;
            console.log(
              `${suite.file}: ok: ${n} case${n === 1 ? "" : "s"}${
                m > 1 ? ` (${m} matrix entries)` : ""
              }`,
            );
          } catch (e) {
            report(e);
          }
        }
      } catch (e) {
        report(e);
      }
    }
    return invalid ? EXIT.usage : EXIT.ok;
  },
};
