// What a JSON Schema node accepts, in words, for "must be ..., not ..." messages:
// from the schema's own titles, constants, enums and types, every alternative of
// a oneOf/anyOf named, so a message never names only the first one.

type Node = Record<string, unknown>;

/** The schema documents, and which one each node belongs to (for `$ref` and the hint). */
export interface SchemaDocs {
  /** The document (its `$id`'s last segment, e.g. scenario.schema.json) each node is in. */
  docOf: WeakMap<object, string>;
  /** The documents by that name. */
  byName: Map<string, Node>;
}

/**
 * Indexes `schemas` (the main one first) by node, for {@linkcode expected}.
 *
 * @example
 * ```ts
 * import { indexDocs } from "./_expected.ts";
 * const docs = indexDocs([{ $id: "https://x/a.schema.json", type: "string" }]);
 * docs.byName.has("a.schema.json"); // true
 * ```
 */
export function indexDocs(schemas: readonly object[]): SchemaDocs {
  const docs: SchemaDocs = { docOf: new WeakMap(), byName: new Map() };
  for (const schema of schemas) {
    const name = String((schema as Node).$id ?? "schema.json").split("/").at(-1)!;
    if (docs.byName.has(name)) continue;
    docs.byName.set(name, schema as Node);
    const walk = (v: unknown) => {
      if (!v || typeof v !== "object" || docs.docOf.has(v)) return;
      docs.docOf.set(v, name);
      Object.values(v).forEach(walk);
    };
    walk(schema);
  }
  return docs;
}

/**
 * The node a `$ref` names (a chain of them followed), or the node itself.
 *
 * @example
 * ```ts
 * import { indexDocs, resolve } from "./_expected.ts";
 * const schema = { $id: "a.json", definitions: { n: { type: "number" } } };
 * resolve({ $ref: "#/definitions/n" }, indexDocs([schema])); // { type: "number" }
 * ```
 */
export function resolve(node: unknown, docs: SchemaDocs): Node {
  let n = (node ?? {}) as Node;
  for (let i = 0; i < 16 && typeof n.$ref === "string"; i++) {
    const [file, pointer = ""] = n.$ref.split("#");
    const doc = docs.byName.get(file ? file.split("/").at(-1)! : docs.docOf.get(n) ?? "");
    const target = pointer.split("/").slice(1).reduce<unknown>(
      (v, k) => (v as Node | undefined)?.[k.replaceAll("~1", "/").replaceAll("~0", "~")],
      doc,
    );
    if (!target) break;
    n = target as Node;
  }
  return n;
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
  null: "null",
};

/**
 * Every form `node` accepts, in words: "a duration such as 5s or 500ms, or a
 * number of milliseconds"; a `title` names a form, else its constant, enum or type.
 *
 * @example
 * ```ts
 * import { expected, indexDocs } from "./_expected.ts";
 * const node = { oneOf: [{ enum: ["a", "b"] }, { type: "array", items: { enum: ["a", "b"] } }] };
 * expected(node, indexDocs([node])); // "one of a, b, or a list"
 * ```
 */
export function expected(node: unknown, docs: SchemaDocs): string {
  const n = resolve(node, docs);
  if (typeof n.title === "string" && !docs.byName.has(String(n.$id ?? "").split("/").at(-1)!)) {
    return n.title;
  }
  const alternatives = (n.oneOf ?? n.anyOf) as unknown[] | undefined;
  if (alternatives) {
    const branches = alternatives.map((b) => resolve(b, docs));
    // "X, or a list of them": the one-or-a-list pattern of the schemas.
    const listOf = branches.find((b) =>
      b.type === "array" && b.items &&
      branches.includes(resolve(b.items, docs))
    );
    const words = branches.filter((b) => b !== listOf).map((b) => expected(b, docs));
    return orList(listOf ? [...words, "a list of them"] : words);
  }
  if ("const" in n) return `'${n.const}'`;
  if (Array.isArray(n.enum)) {
    const values = n.enum.map(String);
    return values.length > 8
      ? `one of ${values.slice(0, 4).join(", ")}, ... (${values.length} names)`
      : `one of ${values.join(", ")}`;
  }
  const types = ([] as unknown[]).concat(n.type ?? []).map(String);
  const words = types.map((t) =>
    t === "object" && Array.isArray(n.required) && n.required.length
      ? `a mapping with ${orList(n.required.map(String), "and")}`
      : TYPE_WORDS[t] ?? t
  );
  return words.length ? orList(words) : "a value";
}

/**
 * The hint of a "must be" message: the node's example or short description, and its file.
 *
 * @example
 * ```ts
 * import { indexDocs, schemaHint } from "./_expected.ts";
 * const schema = { $id: "https://x/a.schema.json", examples: ["5s"] };
 * schemaHint(schema, "timeout", indexDocs([schema])); // "e.g. timeout: 5s; see schemas/a.schema.json"
 * ```
 */
export function schemaHint(node: unknown, key: string | number | undefined, docs: SchemaDocs) {
  const n = resolve(node, docs);
  const file = `schemas/${docs.docOf.get(node as object) ?? docs.byName.keys().next().value}`;
  const examples = Array.isArray(n.examples) ? n.examples : [];
  const about = examples.length
    ? `e.g. ${typeof key === "string" ? `${key}: ` : ""}${examples.join(" or ")}`
    : typeof n.description === "string" && n.description.length <= 120
    ? n.description.replace(/\.$/, "")
    : undefined;
  return about ? `${about}; see ${file}` : `see ${file} for the expected shape`;
}

// "a, b or c"; ", or" when a part has its own "or" or commas.
function orList(words: string[], and = "or"): string {
  if (words.length < 2) return words.join("");
  const sep = words.some((w) => / or |,/.test(w)) ? `, ${and} ` : ` ${and} `;
  return `${words.slice(0, -1).join(", ")}${sep}${words.at(-1)}`;
}
