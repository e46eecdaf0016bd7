import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { YamlPath, YamlSource } from "./source.ts";
import { closest } from "./closest.ts";
import type { InputError } from "./input_error.ts";
import { InputErrors } from "./input_errors.ts";

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Validates a parsed YAML document against a JSON Schema and throws every
 * problem it finds as an {@linkcode InputError} at its file:line:column (one,
 * or {@linkcode InputErrors} for several), with a hint (the closest known key
 * for a misspelt one, the allowed values for an enum). Of the errors a schema
 * reports about one place (the alternatives of a `oneOf`, say), only the most
 * useful is kept.
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
  const found = pickErrors(errors).map((e) => toInputError(source, e));
  // In the order of the document.
  const at = (e: InputError) => [e.location?.line ?? 0, e.location?.column ?? 0];
  found.sort((a, b) => at(a)[0] - at(b)[0] || at(a)[1] - at(b)[1]);
  throw InputErrors.of(found);
}

// Prefer the deepest, most concrete error: unknown keys and wrong values
// before "must match one of" summaries; then one per place: an error on a
// path that is a prefix of a kept one's (or the reverse) is about the same
// value, seen through another alternative.
function pickErrors(errors: ErrorObject[]): ErrorObject[] {
  const rank = (e: ErrorObject) =>
    (e.keyword === "additionalProperties" ? 0 : e.keyword === "required" ? 1 : 2) +
    (["oneOf", "anyOf"].includes(e.keyword) ? 10 : 0);
  const sorted = [...errors].sort((a, b) =>
    b.instancePath.split("/").length - a.instancePath.split("/").length || rank(a) - rank(b)
  );
  const kept: ErrorObject[] = [];
  const related = (a: string, b: string) =>
    `${a}/`.startsWith(`${b}/`) || `${b}/`.startsWith(`${a}/`);
  for (const e of sorted) {
    if (!kept.some((k) => related(k.instancePath, e.instancePath))) kept.push(e);
  }
  return kept;
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
