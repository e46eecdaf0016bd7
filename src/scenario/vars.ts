import { InputError, readYamlFile } from "../yaml/mod.ts";

/**
 * Reads a variables file (`--vars FILE`): a YAML mapping of `KEY: value`
 * that gives `${set.KEY}` its values, as `--set KEY=VALUE` would (a `--set`
 * on the command line wins). Values are strings, numbers or booleans; a list
 * or mapping is an {@linkcode InputError} at its line.
 *
 * @example
 * ```ts
 * import { readVarsFile } from "./vars.ts";
 * // mydevice/vars.yaml: "host: 10.0.0.7\nport: 2762\nae: PACS\n"
 * const set = await readVarsFile("mydevice/vars.yaml"); // { host: "10.0.0.7", port: "2762", ae: "PACS" }
 * ```
 */
export async function readVarsFile(file: string): Promise<Record<string, string>> {
  let source;
  try {
    source = await readYamlFile(file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError({
      message: `cannot read the variables file ${file}: ${(e as Error).message}`,
      hint: "--vars takes a YAML file of KEY: value lines",
    });
  }
  const value = source.value ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw source.error([], "a variables file is a mapping of KEY: value", "e.g. host: 10.0.0.7");
  }
  const set: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || typeof v === "object") {
      throw source.error(
        [key],
        `'${key}' must be a single value (text, number or true/false)`,
        `write ${key}: VALUE; \${set.${key}} is replaced by it`,
      );
    }
    set[key] = String(v);
  }
  return set;
}
