import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { YamlPath, YamlSource } from "./source.ts";

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Validates a parsed YAML document against a JSON Schema and throws the most
 * useful error as an {@linkcode InputError} at its file:line:column, with a
 * hint (the closest known key for a misspelt one, the allowed values for an
 * enum).
 *
 * @example
 * ```ts
 * import { validateSchema } from "./schema.ts";
 * import { parseYaml } from "./source.ts";
 * validateSchema(parseYaml("nmae: x\n", "a.yaml"), {
 *   type: "object", properties: { name: { type: "string" } }, additionalProperties: false,
 * }); // throws "a.yaml:1:1: unknown key 'nmae' (hint: did you mean 'name'?)"
 * ```
 */
export function validateSchema(
  source: YamlSource,
  schema: object,
  options: { refs?: readonly object[] } = {},
): void {
  let validate = compiled.get(schema);
  if (!validate) {
    // Schemas the main one names by `$ref` (by their `$id`), e.g. the AE config inside a scenario.
    for (const ref of options.refs ?? []) {
      const id = (ref as { $id?: string }).$id;
      if (id && !ajv.getSchema(id)) ajv.addSchema(ref);
    }
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(source.value)) return;
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== "if");
  throw toInputError(source, pickError(errors));
}

// Prefer the deepest, most concrete error: unknown keys and wrong values
// before "must match one of" summaries.
function pickError(errors: ErrorObject[]): ErrorObject {
  const rank = (e: ErrorObject) =>
    (e.keyword === "additionalProperties" ? 0 : e.keyword === "required" ? 1 : 2) +
    (["oneOf", "anyOf"].includes(e.keyword) ? 10 : 0);
  return [...errors].sort((a, b) =>
    b.instancePath.split("/").length - a.instancePath.split("/").length || rank(a) - rank(b)
  )[0];
}

function toInputError(source: YamlSource, e: ErrorObject) {
  const path: YamlPath = e.instancePath.split("/").slice(1).map((p) => {
    const key = p.replaceAll("~1", "/").replaceAll("~0", "~");
    return /^\d+$/.test(key) ? Number(key) : key;
  });
  const where = path.length ? `'${formatPath(path)}'` : "the document";
  const schema = e.parentSchema as { properties?: Record<string, unknown> } | undefined;
  switch (e.keyword) {
    case "additionalProperties": {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(schema?.properties ?? {});
      const near = closest(key, known);
      return source.error(
        [...path, key],
        `unknown key '${key}' in ${where}`,
        near ? `did you mean '${near}'?` : `allowed keys: ${known.join(", ")}`,
        { key: true },
      );
    }
    case "required":
      return source.error(
        path,
        `${where} is missing the required key '${
          (e.params as { missingProperty: string }).missingProperty
        }'`,
        "add it",
      );
    case "enum":
      return source.error(
        path,
        `${where} has the value ${
          JSON.stringify(valueAt(source.value, path))
        }, which is not allowed`,
        `use one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`,
      );
    case "type":
      return source.error(
        path,
        `${where} must be ${(e.params as { type: string }).type}, not ${
          describe(valueAt(source.value, path))
        }`,
        "see the JSON Schema shipped with dicomtls for the expected shape",
      );
    default:
      return source.error(
        path,
        `${where} ${e.message ?? "is invalid"}`,
        "see the JSON Schema shipped with dicomtls for the expected shape",
      );
  }
}

/** A path as a user reads it: `certificates[3].issuer`. */
export function formatPath(path: YamlPath): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${p}` : p)).join("");
}

function valueAt(value: unknown, path: YamlPath): unknown {
  return path.reduce<unknown>(
    (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** The known word closest to `word` by edit distance, if it is close enough to be a typo. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
