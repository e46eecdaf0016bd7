/**
 * Mutations of valid YAML inputs (suites, PKI specs, AE configs, variables
 * files) for the input fuzzer (tests/scenario_fuzz_test.ts): structural ones
 * on the parsed document (a key deleted, repeated or misspelt, a value of
 * another type, out of range, an unknown word, a broken `${...}`) and textual
 * ones on the bytes (tabs, CRLF, a BOM, NUL, invalid UTF-8, tags, anchors,
 * merge keys, a second document, a cut). Each mutation is plain data, so that
 * fast-check generates, shrinks and prints it and a seed replays it.
 *
 * @module
 */
import { isCollection, isMap, isPair, isScalar, isSeq, parseDocument, visit } from "yaml";
import type { Document, Node } from "yaml";
import { concatBytes } from "../ul/mod.ts";
import { fc } from "./fast_check.ts";

/** Values a mutation puts in place of another: wrong types, out of range, unknown words, bad `${...}`. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  "",
  " ",
  0,
  -1,
  65536,
  1e309,
  -1e309,
  Number.NaN,
  1.5,
  2 ** 53 + 1,
  123456789012345678901234567890,
  "5x",
  "-1s",
  "1e400s",
  "99999999999999999999s",
  "0ms",
  true,
  false,
  [],
  {},
  [[]],
  { a: { b: {} } },
  "tls13",
  "TLSv9",
  "nonsense",
  "NONE",
  "${unknown}",
  "${",
  "${}",
  "${env.${set.x}}",
  "${set.}",
  "${pki.nobody.crt}",
  "${pki.server.nofield}",
  "${matrix.nokey}",
  "${harness.port}",
  "${set.constructor}",
  "${pki.constructor.crt}",
  "${env.toString:-x}",
  "$${literal}",
  "}",
  "x".repeat(70),
  "\u0000\u0007\u001b[2J\u202e",
  "a,b=c",
  "../../../../../etc/passwd",
  "/dev/null",
  "/nonexistent/file.pem",
  "-",
  "0x10",
  "__proto__",
  "constructor",
];

/** Snippets a textual mutation inserts at a position. */
export const HOSTILE_SNIPPETS: readonly string[] = [
  "\t",
  "\u0000",
  "\uFEFF",
  "\r",
  "\u2028",
  " ",
  "  ",
  ":",
  ": ",
  "#",
  "'",
  '"',
  "[",
  "]",
  "{",
  "}",
  ",",
  "- ",
  "? ",
  "|",
  ">",
  "&a ",
  "*a",
  "*nothing",
  "&a [1, 2] ",
  "<<: *a\n",
  "<<: {}\n",
  "<<: [*a, *a]\n",
  "!!binary ",
  "!!binary aGVsbG8=",
  "!!js/function ",
  "!!timestamp ",
  "!!set ",
  "!!omap ",
  "!!float ",
  "!!str ",
  "!foo ",
  "!<tag:x> ",
  "%YAML 1.1\n",
  "---\n",
  "...\n",
  "\n---\nsuite: second\n",
  "${",
  "${unknown}",
  "${env.${set.x}}",
  "$${",
  "~",
  "[[[[[[[[[[",
  "? [a, b]\n: 1\n",
  "x".repeat(100_000),
];

/** Where in the parsed document a structural mutation acts, and what it does there. */
export type StructuralKind =
  | "delete"
  | "duplicate-key"
  | "rename-key"
  | "replace"
  | "wrap-in-list"
  | "wrap-in-map"
  | "unwrap"
  | "copy-other";

/** What is done to the text (as bytes) at a position. */
export type TextualKind =
  | "insert"
  | "delete-line"
  | "duplicate-line"
  | "swap-lines"
  | "indent"
  | "dedent"
  | "truncate"
  | "crlf"
  | "bom"
  | "invalid-utf8"
  | "tabs";

/** One mutation: plain data, replayable. */
export type Mutation =
  | { kind: StructuralKind; at: number; other: number; value: number }
  | { kind: TextualKind; at: number; other: number; snippet: number };

const STRUCTURAL: StructuralKind[] = [
  "delete",
  "duplicate-key",
  "rename-key",
  "replace",
  "wrap-in-list",
  "wrap-in-map",
  "unwrap",
  "copy-other",
];
const TEXTUAL: TextualKind[] = [
  "insert",
  "delete-line",
  "duplicate-line",
  "swap-lines",
  "indent",
  "dedent",
  "truncate",
  "crlf",
  "bom",
  "invalid-utf8",
  "tabs",
];

/**
 * A fast-check arbitrary of one to `max` mutations.
 *
 * @example
 * ```ts
 * import { mutations } from "./yaml_mutations.ts";
 * import { fc } from "./fast_check.ts";
 * fc.sample(mutations(3), 1)[0].length; // 1 to 3
 * ```
 */
export function mutations(max = 3): fc.Arbitrary<Mutation[]> {
  const structural = fc.record({
    kind: fc.constantFrom(...STRUCTURAL),
    at: fc.nat(),
    other: fc.nat(),
    value: fc.nat({ max: HOSTILE_VALUES.length - 1 }),
  });
  const textual = fc.record({
    kind: fc.constantFrom(...TEXTUAL),
    at: fc.nat(),
    other: fc.nat(),
    snippet: fc.nat({ max: HOSTILE_SNIPPETS.length - 1 }),
  });
  // Structural ones twice as often: they reach the loader's checks, not only the parser.
  return fc.array(fc.oneof({ arbitrary: structural, weight: 2 }, textual), {
    minLength: 1,
    maxLength: max,
  });
}

/**
 * Applies `list` to `text` in order and returns the bytes of the file to
 * write (bytes: a mutation may make them invalid UTF-8). A structural
 * mutation of a text that no longer parses is skipped.
 *
 * @example
 * ```ts
 * import { mutate } from "./yaml_mutations.ts";
 * const bytes = mutate("a: 1\n", [{ kind: "delete", at: 0, other: 0, value: 0 }]);
 * ```
 */
export function mutate(text: string, list: readonly Mutation[]): Uint8Array {
  let bytes: Uint8Array = new TextEncoder().encode(text);
  for (const m of list) {
    bytes = "value" in m ? structural(bytes, m) : textual(bytes, m);
  }
  return bytes;
}

function structural(
  bytes: Uint8Array,
  m: { kind: StructuralKind; at: number; other: number; value: number },
): Uint8Array {
  const text = new TextDecoder().decode(bytes);
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) return bytes;
  const nodes: { node: Node; parent: unknown; key: unknown }[] = [];
  visit(doc, {
    Pair(key, pair, path) {
      if (isScalar(pair.key)) {
        nodes.push({ node: pair as unknown as Node, parent: path.at(-1), key });
      }
    },
    Scalar(key, node, path) {
      nodes.push({ node, parent: path.at(-1), key });
    },
    Map(key, node, path) {
      nodes.push({ node, parent: path.at(-1), key });
    },
    Seq(key, node, path) {
      nodes.push({ node, parent: path.at(-1), key });
    },
  });
  if (nodes.length === 0) return bytes;
  const target = nodes[m.at % nodes.length];
  const value = HOSTILE_VALUES[m.value];
  const pairs = nodes.filter((n) => isPair(n.node));
  const pair = pairs.length
    ? pairs[m.at % pairs.length].node as unknown as { key: Node; value: Node | null }
    : undefined;
  switch (m.kind) {
    case "delete": {
      const { parent, node } = target;
      if (isCollection(parent)) {
        const items = parent.items as unknown[];
        const i = items.indexOf(node);
        if (i >= 0) items.splice(i, 1);
      }
      break;
    }
    case "duplicate-key": {
      if (!pair) break;
      const owner = nodes.find((n) => isMap(n.node) && (n.node.items as unknown[]).includes(pair));
      if (owner && isMap(owner.node)) {
        owner.node.items.push(doc.createPair((pair.key as { value: unknown }).value, value));
      }
      break;
    }
    case "rename-key": {
      if (!pair || !isScalar(pair.key)) break;
      const key = String(pair.key.value);
      const cut = m.other % Math.max(key.length, 1);
      pair.key.value = m.other % 3 === 0 ? `${key}x` : key.slice(0, cut) + key.slice(cut + 1);
      break;
    }
    case "replace":
      setValue(doc, target, doc.createNode(value));
      break;
    case "wrap-in-list":
      if (!isPair(target.node)) setValue(doc, target, doc.createNode([target.node]));
      break;
    case "wrap-in-map":
      if (!isPair(target.node)) setValue(doc, target, doc.createNode({ x: target.node }));
      break;
    case "unwrap":
      if (isSeq(target.node) || isMap(target.node)) {
        const first = target.node.items[0];
        setValue(doc, target, (isPair(first) ? first.value : first) as Node ?? null);
      }
      break;
    case "copy-other": {
      const other = nodes[m.other % nodes.length].node;
      if (!isPair(target.node) && !isPair(other)) setValue(doc, target, other.clone() as Node);
      break;
    }
  }
  try {
    return new TextEncoder().encode(doc.toString({ lineWidth: 0 }));
  } catch {
    // A document the package cannot write back (e.g. a key made a collection): unchanged.
    return bytes;
  }
}

// Puts `node` where `target` was: a pair's value, a list item or the document's contents.
function setValue(
  doc: Document,
  target: { node: Node; parent: unknown; key: unknown },
  node: Node | null,
) {
  const { parent, key } = target;
  if (isPair(target.node)) {
    target.node.value = node;
  } else if (isPair(parent)) {
    // A key replaced too: a list or a mapping as a key is one of the oddities.
    if (key === "value") parent.value = node;
    else if (key === "key") parent.key = node;
  } else if (isSeq(parent) && typeof key === "number") {
    parent.items[key] = node;
  } else if (parent === undefined || parent === doc) {
    doc.contents = node;
  }
}

function textual(
  bytes: Uint8Array,
  m: { kind: TextualKind; at: number; other: number; snippet: number },
): Uint8Array {
  const enc = new TextEncoder();
  const at = bytes.length ? m.at % (bytes.length + 1) : 0;
  const concat = (...parts: Uint8Array[]) => concatBytes(parts);
  const lines = () => splitLines(bytes);
  switch (m.kind) {
    case "insert":
      return concat(
        bytes.subarray(0, at),
        enc.encode(HOSTILE_SNIPPETS[m.snippet]),
        bytes.subarray(at),
      );
    case "truncate":
      return bytes.slice(0, at);
    case "invalid-utf8": {
      const bad = [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf]][m.other % 5];
      return concat(bytes.subarray(0, at), new Uint8Array(bad), bytes.subarray(at));
    }
    case "bom":
      return concat(new Uint8Array([0xef, 0xbb, 0xbf]), bytes);
    case "crlf":
      return enc.encode(new TextDecoder().decode(bytes).replaceAll("\n", "\r\n"));
    case "tabs":
      return enc.encode(new TextDecoder().decode(bytes).replaceAll("  ", "\t"));
  }
  const list = lines();
  if (list.length === 0) return bytes;
  const i = m.at % list.length;
  const j = m.other % list.length;
  switch (m.kind) {
    case "delete-line":
      list.splice(i, 1);
      break;
    case "duplicate-line":
      list.splice(i, 0, list[i]);
      break;
    case "swap-lines":
      [list[i], list[j]] = [list[j], list[i]];
      break;
    case "indent":
      list[i] = concat(enc.encode(" ".repeat(1 + m.other % 4)), list[i]);
      break;
    case "dedent": {
      let spaces = 0;
      while (list[i][spaces] === 0x20) spaces++;
      list[i] = list[i].subarray(Math.min(spaces, 1 + m.other % 4));
      break;
    }
  }
  return concat(...list);
}

// Lines with their "\n".
function splitLines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      out.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}
