import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { YamlPath, YamlSource } from "./source.ts";
import { closest } from "./closest.ts";
import type { InputError } from "./input_error.ts";
import { InputErrors } from "./input_errors.ts";
import { expected, indexDocs, resolve, type SchemaDocs, schemaHint } from "./_expected.ts";

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const compiled = new WeakMap<object, { validate: ValidateFunction; docs: SchemaDocs }>();

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
  let found = compiled.get(schema);
  if (!found) {
    // Schemas the main one names by `$ref` (by their `$id`), e.g. the AE config inside a scenario.
    for (const ref of options.refs ?? []) {
      const id = (ref as { $id?: string }).$id;
      if (id && !ajv.getSchema(id)) ajv.addSchema(ref);
    }
    found = { validate: ajv.compile(schema), docs: indexDocs([schema, ...options.refs ?? []]) };
    compiled.set(schema, found);
  }
  const { validate, docs } = found;
  if (validate(source.value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== "if");
  const problems = mergeRequired(pickErrors(errors, docs)).map((e) => ({
    path: pathOf(e),
    error: toInputError(source, e, docs),
  }));
  // In the order of the document.
  const at = (e: InputError) => [e.location?.line ?? 0, e.location?.column ?? 0];
  return problems.sort((a, b) =>
    at(a.error)[0] - at(b.error)[0] || at(a.error)[1] - at(b.error)[1]
  );
}

function pathOf(e: ErrorObject): YamlPath {
  return e.instancePath.split("/").slice(1).map((p) => {
    const key = p.replaceAll("~1", "/").replaceAll("~0", "~");
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}

// One error per problem. The errors a value gets through the alternatives of
// a oneOf/anyOf (each branch's complaint, and the summary) are one problem:
// the deepest place that failed, and there the alternative whose shape the
// value has (a mapping missing a key, not "must be text"); when it has the
// shape of none, all the alternatives are named ("must be ... or ..., not a
// list"). Errors outside alternatives are each their own problem.
function pickErrors(errors: ErrorObject[], docs: SchemaDocs): ErrorObject[] {
  const under = (path: string, root: string) => `${path}/`.startsWith(`${root}/`);
  const alternatives = errors.filter(isAlternative).map((e) => e.instancePath)
    .sort((a, b) => a.length - b.length); // the outermost alternative holds the rest
  // Under a value that failed its alternatives, every error comes from one of them;
  // a wrong type and a wrong value of one node are one problem.
  const groupOf = (e: ErrorObject) => {
    const root = alternatives.find((a) => under(e.instancePath, a));
    return root !== undefined
      ? `alt:${root}`
      : VALUE_KEYWORDS.includes(e.keyword)
      ? `${e.instancePath}#value`
      : `${e.instancePath}#${e.schemaPath}#${JSON.stringify(e.params)}`;
  };
  const groups = new Map<string, ErrorObject[]>();
  for (const e of errors) groups.set(groupOf(e), [...groups.get(groupOf(e)) ?? [], e]);
  return [...groups.values()].flatMap((group) => pickOne(group, docs));
}

const VALUE_KEYWORDS = ["type", "const", "enum"];
const isAlternative = (e: ErrorObject) => ["oneOf", "anyOf"].includes(e.keyword);

function pickOne(group: ErrorObject[], docs: SchemaDocs): ErrorObject[] {
  const depth = (e: ErrorObject) => e.instancePath.split("/").length;
  const deepest = Math.max(...group.map(depth));
  const there = group.filter((e) => depth(e) === deepest);
  // ajv reports an alternative after the ones inside it: the last is the outermost.
  const alt = there.findLast(isAlternative);
  if (alt && !(alt.params as { passingSchemas?: unknown }).passingSchemas) {
    const branches = (alt.schema as unknown[]).map((b) => resolve(b, docs));
    const fitting = branches
      .map((b) => there.filter((e) => !isAlternative(e) && resolve(e.parentSchema, docs) === b))
      .filter((es) => es.length && !es.some((e) => VALUE_KEYWORDS.includes(e.keyword)))
      .sort((a, b) => a.length - b.length);
    return fitting[0] ?? [{ ...alt, keyword: "type" }];
  }
  const rank = (e: ErrorObject) =>
    ({ minItems: -1, additionalProperties: 0, required: 1, type: 2 })[e.keyword] ??
      (isAlternative(e) ? 10 : 3);
  return [there.reduce((kept, e) => (rank(e) < rank(kept) ? e : kept))];
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

function toInputError(source: YamlSource, e: ErrorObject, docs: SchemaDocs) {
  const path = pathOf(e);
  const value = valueAt(source.value, path);
  const hint = schemaHint(e.parentSchema, path.findLast((p) => typeof p === "string"), docs);
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
        `${where} has the value ${quoted(value)}, which is not allowed`,
        `use one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`,
      );
    case "minItems": {
      const limit = (e.params as { limit: number }).limit;

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
        hint,
      );
    }
    case "type":
    case "const": {
      // YAML 1.2 (the YAML of this tool) reads yes/no/on/off as text.
      const yesNo = typeof value === "string" && /^(y|yes|n|no|on|off)$/i.test(value) &&
        [resolve(e.parentSchema, docs).type].flat().includes("boolean");
      return source.error(
        path,
        `${where} must be ${expected(e.parentSchema, docs)}, not ${describe(value)}`,
        yesNo ? `write true or false: YAML 1.2 reads '${value}' as text` : hint,
      );
    }
    case "minimum":
    case "exclusiveMinimum":
    case "maximum":
    case "exclusiveMaximum": {
      const { comparison, limit } = e.params as { comparison: string; limit: number };
      const words = { ">": "more than", ">=": "at least", "<": "less than", "<=": "at most" };
      return source.error(
        path,
        `${where} is ${quoted(value)}; it must be ${
          words[comparison as keyof typeof words] ?? comparison
        } ${limit}`,
        hint,
      );
    }
    default:
      return source.error(path, `${where} ${e.message ?? "is invalid"}`, hint);
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
