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
  const found = schemaProblems(source, schema, options);
  if (found.length) throw InputErrors.of(found.map((p) => p.error));
}

/** One problem {@linkcode schemaProblems} found: where in the document, and the error. */
export interface SchemaProblem {
  /** The path of the value (or the unknown key) the problem is about. */
  path: YamlPath;
  /** The problem, at its file:line:column, with a hint. */
  error: InputError;
}

/**
 * What {@linkcode validateSchema} would throw, as a list in document order,
 * each problem with its path: for a loader that goes on with the parts of a
 * document that have none (the other cases of a suite).
 *
 * @example
 * ```ts
 * import { schemaProblems } from "./schema.ts";
 * import { parseYaml } from "./source.ts";
 * const found = schemaProblems(parseYaml("a: 1\nb: x\n", "f.yaml"), {
 *   type: "object", properties: { a: { type: "string" }, b: { type: "string" } },
 * });
 * found.map((p) => p.path); // [["a"]]
 * ```
 */
export function schemaProblems(
  source: YamlSource,
  schema: object,
  options: { refs?: readonly object[] } = {},
): SchemaProblem[] {
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
  if (validate(source.value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== "if");
  const found = mergeRequired(pickErrors(errors)).map((e) => ({
    path: pathOf(e),
    error: toInputError(source, e),
  }));
  // In the order of the document.
  const at = (e: InputError) => [e.location?.line ?? 0, e.location?.column ?? 0];
  return found.sort((a, b) => at(a.error)[0] - at(b.error)[0] || at(a.error)[1] - at(b.error)[1]);
}

function pathOf(e: ErrorObject): YamlPath {
  return e.instancePath.split("/").slice(1).map((p) => {
    const key = p.replaceAll("~1", "/").replaceAll("~0", "~");
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}

// One error per problem. The errors a value gets through the alternatives of
// a oneOf/anyOf (each branch's complaint, and the summary) are one problem:
// keep the deepest, most concrete (an empty list where a list must have items,
// unknown keys and wrong values before "must match one of": `alert: []` is an
// empty list, not a list where a string was wanted). Errors outside
// alternatives are each their own problem.
function pickErrors(errors: ErrorObject[]): ErrorObject[] {
  const rank = (e: ErrorObject) =>
    (e.keyword === "minItems"
      ? -1
      : e.keyword === "additionalProperties"
      ? 0
      : e.keyword === "required"
      ? 1
      : 2) +
    (["oneOf", "anyOf"].includes(e.keyword) ? 10 : 0);
  const under = (path: string, root: string) => `${path}/`.startsWith(`${root}/`);
  const alternatives = errors.filter((e) => ["oneOf", "anyOf"].includes(e.keyword))
    .map((e) => e.instancePath)
    .sort((a, b) => a.length - b.length); // the outermost alternative holds the rest
  // Under a value that failed its alternatives, every error comes from one of them.
  const groupOf = (e: ErrorObject) => {
    const root = alternatives.find((a) => under(e.instancePath, a));
    return root !== undefined
      ? `alt:${root}`
      : `${e.instancePath}#${e.schemaPath}#${JSON.stringify(e.params)}`;
  };
  const best = new Map<string, ErrorObject>();
  for (const e of errors) {
    const key = groupOf(e);
    const kept = best.get(key);
    const deeper = kept &&
      (e.instancePath.split("/").length - kept.instancePath.split("/").length ||
        rank(kept) - rank(e));
    if (!kept || (deeper ?? 0) > 0) best.set(key, e);
  }
  return [...best.values()];
}

// The keys missing from one mapping, as one error naming them all.
function mergeRequired(errors: ErrorObject[]): ErrorObject[] {
  const merged = new Map<string, ErrorObject>();
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword !== "required") {
      out.push(e);
      continue;
    }
    const missing = (e.params as { missingProperty: string }).missingProperty;
    const first = merged.get(e.instancePath);
    if (!first) {
      const copy = { ...e, params: { missingProperty: missing, all: [missing] } };
      merged.set(e.instancePath, copy);
      out.push(copy);
    } else (first.params as { all: string[] }).all.push(missing);
  }
  return out;
}

function toInputError(source: YamlSource, e: ErrorObject) {
  const path = pathOf(e);
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
    case "required": {
      const all = (e.params as { all?: string[]; missingProperty: string }).all ??
        [(e.params as { missingProperty: string }).missingProperty];
      return source.error(
        path,
        all.length === 1
          ? `${where} is missing the required key '${all[0]}'`
          : `${where} is missing the required keys ${all.map((k) => `'${k}'`).join(", ")}`,
        all.length === 1 ? "add it" : "add them",
      );
    }
    case "enum":
      return source.error(
        path,
        `${where} has the value ${quoted(valueAt(source.value, path))}, which is not allowed`,
        `use one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`,
      );
    case "minItems": {
      const limit = (e.params as { limit: number }).limit;
      const value = valueAt(source.value, path);
      if (Array.isArray(value) && value.length === 0) {
        return source.error(
          path,
          `${where} is an empty list, which is not allowed`,
          limit === 1
            ? "give a value, or a list of at least one; or leave the key out"
            : `give at least ${limit} values, or leave the key out`,
        );
      }
      return source.error(
        path,
        `${where} has ${Array.isArray(value) ? value.length : 0} item(s), fewer than ${limit}`,
        "see the JSON Schema shipped with dicomtls for the expected shape",
      );
    }
    case "type":
      return source.error(
        path,
        `${where} must be ${oneOf(String((e.params as { type: string }).type).split(","))}, not ${
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

// "a, b or c".
function oneOf(words: string[]): string {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  // JSON has no NaN or Infinity: .nan and .inf as YAML writes them.
  if (typeof v === "number" && !Number.isFinite(v)) {
    return `number ${Number.isNaN(v) ? ".nan" : v > 0 ? ".inf" : "-.inf"}`;
  }
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${quoted(v)}`;
}

// A value as JSON, cut short: a binary file read as YAML is one long string, and the
// message is one line.
function quoted(v: unknown): string {
  const json = JSON.stringify(v) ?? String(v);
  return json.length > 80 ? `${json.slice(0, 72)}..." (${json.length} characters)` : json;
}
