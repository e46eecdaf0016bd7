import { isAlias, isCollection, isNode, isPair, isScalar } from "yaml";
import type { Document, Node } from "yaml";

/**
 * The most values a document may expand to through its aliases (`*name`). A
 * literal suite of 100,000 cases expands to far less through aliases; a
 * "billion laughs" document (aliases of aliases of aliases) to billions.
 */
export const MAX_ALIAS_EXPANSION = 1_000_000;

/**
 * The deepest a document may nest, aliases expanded: a suite needs about
 * ten levels; every reader of the value (the schema, interpolation) recurses
 * once per level, and the YAML parser itself overflows its stack near 1,000.
 */
export const MAX_DEPTH = 100;

/** The tags whose values are plain data (text, numbers, true/false, null, lists, mappings). */
const PLAIN_TAGS = ["str", "int", "float", "bool", "null", "map", "seq"]
  .map((t) => `tag:yaml.org,2002:${t}`);

/** What makes a document unfit to become a plain value, at a node. */
export type ShapeProblem =
  | { kind: "bomb"; node: Node }
  | { kind: "deep"; node: Node }
  | { kind: "unresolved-alias"; node: Node; name: string }
  | { kind: "collection-key"; node: Node }
  | { kind: "tag"; node: Node; tag: string };

interface Step {
  node: unknown;
  /** Where the node sits, to put an alias's target in its place. */
  parent?: unknown;
  key: "key" | "value" | number;
  entered: boolean;
  /** Collections above it. */
  depth: number;
}

/**
 * Measures what the aliases of `doc` expand to and, while within `limit`,
 * puts each alias's target node in the alias's place, so that `toJS` never
 * resolves an alias itself (the yaml package looks each one up by a scan of
 * the document: 20,000 aliases took 15 s). Returns the first problem that
 * would make `toJS` fail, warn or build what no input can mean (the
 * document is then left half-inlined, to be thrown away), or undefined:
 * aliases expanding past `limit` values, nesting past {@linkcode MAX_DEPTH}
 * (aliases counted), an alias without an anchor before it, a list or mapping
 * as a key, a tag of a value that is not plain data (`!!binary`, `!foo`).
 * One pass over the written nodes, each node's expanded size remembered: a
 * document that would expand to 10^9 values is measured in microseconds,
 * never expanded.
 */
export function inlineAliases(
  doc: Document,
  limit = MAX_ALIAS_EXPANSION,
): ShapeProblem | undefined {
  const anchors = new Map<string, Node>();
  const sizes = new Map<unknown, number>();
  // Levels of collections in a node, aliases expanded.
  const heights = new Map<unknown, number>();
  let expanded = 0;
  // Iterative post-order walk: a deeply nested document must not overflow our stack.
  const stack: Step[] = [{ node: doc.contents, key: "value", entered: false, depth: 0 }];
  while (stack.length > 0) {
    const step = stack[stack.length - 1];
    const node = step.node;
    if (step.entered) {
      stack.pop();
      const list = children(node);
      sizes.set(node, 1 + list.reduce<number>((sum, c) => sum + (sizes.get(c) ?? 0), 0));
      const below = list.reduce<number>((most, c) => Math.max(most, heights.get(c) ?? 0), 0);
      heights.set(node, below + (isCollection(node) ? 1 : 0));
      continue;
    }
    step.entered = true;
    if (isAlias(node)) {
      stack.pop();
      const target = anchors.get(node.source);
      if (!target) return { kind: "unresolved-alias", node, name: node.source };
      // `? *list` is a collection key too, seen only once the alias is resolved.
      if (step.key === "key" && isCollection(target)) return { kind: "collection-key", node };
      // No size yet: the target is an ancestor still being walked (a cycle), left to toJS.
      const size = sizes.get(target);
      expanded += size ?? 1;
      if (expanded > limit) return { kind: "bomb", node };
      if (step.depth + (heights.get(target) ?? 0) > MAX_DEPTH) return { kind: "deep", node };
      sizes.set(node, size ?? 1);
      heights.set(node, heights.get(target) ?? 0);
      if (size !== undefined) replace(step, target);
      continue;
    }
    if (isCollection(node) && step.depth >= MAX_DEPTH) return { kind: "deep", node };
    if (isPair(node) && isCollection(node.key)) return { kind: "collection-key", node: node.key };
    if (isNode(node) && node.tag && !PLAIN_TAGS.includes(node.tag) && !isPlainScalar(node)) {
      return { kind: "tag", node, tag: node.tag };
    }
    if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
    const list = children(node);
    const depth = step.depth + (isCollection(node) ? 1 : 0);
    for (let i = list.length - 1; i >= 0; i--) {
      const key = isPair(node) ? (i === 0 ? "key" : "value") : i;
      stack.push({ node: list[i], parent: node, key, entered: false, depth });
    }
  }
  return undefined;
}

// A scalar whose tag still gave plain data (e.g. `!!timestamp` text kept as text).
function isPlainScalar(node: Node): boolean {
  if (!isScalar(node)) return false;
  const v = node.value;
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

function children(node: unknown): unknown[] {
  if (isCollection(node)) return node.items;
  if (isPair(node)) return [node.key, node.value];
  return [];
}

function replace(step: Step, target: Node) {
  if (isPair(step.parent)) step.parent[step.key as "key" | "value"] = target;
  else if (isCollection(step.parent)) step.parent.items[step.key as number] = target;
}
