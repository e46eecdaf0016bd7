import type { LoadSuiteOptions } from "../scenario/mod.ts";
import { parseSetFlags } from "../scenario/select.ts";
import { type FlagSpec, folderPathFlag } from "./command.ts";

/** Flags of the commands that load suites (`run`, `validate`): variables and the PKI. */
export const SUITE_FLAGS = {
  set: { type: "string", multiple: true },
  vars: { type: "string", multiple: true },
  pki: { type: "string" },
  "pki-cache": { type: "string" },
} as const satisfies FlagSpec;

/** Help text for {@linkcode SUITE_FLAGS}. */
export const SUITE_USAGE = `  --set KEY=VALUE    a value for \${set.KEY} in the suites (repeatable)
  --vars FILE        values for \${set.KEY} from a YAML file of KEY: value
                     lines (repeatable; --set wins)
  --pki DIR          the PKI of every suite instead of its own 'pki:': a folder
                     'dicomtls pki' wrote (the one your device trusts)
  --pki-cache DIR    where generated PKIs are cached (default ~/.cache/dicomtls/pki)`;

/**
 * The suite loader's options the flags give: `--vars` files, then `--set`
 * over them, `--pki`, `--pki-cache`.
 *
 * @example
 * ```ts
 * import { SUITE_FLAGS, suiteLoadOptions } from "./_suite_flags.ts";
 * import { parseFlags } from "./command.ts";
 * const { values } = parseFlags("validate", ["--vars", "vars.yaml", "--pki", "pki"], SUITE_FLAGS);
 * const options = await suiteLoadOptions(values); // { set: {...}, pki: "pki" }
 * ```
 */
export async function suiteLoadOptions(values: {
  set?: string[];
  vars?: string[];
  pki?: string;
  "pki-cache"?: string;
}): Promise<Omit<LoadSuiteOptions, "file">> {
  folderPathFlag("--pki", values.pki, "--pki out/pki");
  folderPathFlag("--pki-cache", values["pki-cache"], "--pki-cache ~/.cache/dicomtls/pki");
  let set: Record<string, string> = {};
  if (values.vars?.length) {
    // The YAML reader loads only for --vars: the other flags are checked without it.
    const { readVarsFile } = await import("../scenario/vars.ts");
    for (const file of values.vars) set = { ...set, ...await readVarsFile(file) };
  }
  return {
    set: { ...set, ...parseSetFlags(values.set) },
    ...(values.pki !== undefined ? { pki: values.pki } : {}),
    ...(values["pki-cache"] !== undefined ? { pkiCacheDir: values["pki-cache"] } : {}),
  };
}
