import { isAlias, isCollection, isNode, isPair } from "yaml";
import type { Document, Node } from "yaml";

/**
 * The most values a document may expand to through its aliases (`*name`). A
 * literal suite of 100,000 cases expands to far less through aliases; a
 * "billion laughs" document (aliases of aliases of aliases) to billions.
 */
export const MAX_ALIAS_EXPANSION = 1_000_000;

interface Step {
  node: unknown;
  /** Where the node sits, to put an alias's target in its place. */
  parent?: unknown;
  key: "key" | "value" | number;
  entered: boolean;
}

/**
 * Measures what the aliases of `doc` expand to and, while within `limit`,
 * puts each alias's target node in the alias's place, so that `toJS` never
 * resolves an alias itself (the yaml package looks each one up by a scan of
 * the document: 20,000 aliases took 15 s). Returns the alias at which the
 * expansion first exceeds `limit` (the document is then left half-inlined,
 * to be thrown away), or undefined. One pass over the written nodes, each
 * node's expanded size remembered: a document that would expand to 10^9
 * values is measured in microseconds, never expanded.
 */
export function inlineAliases(doc: Document, limit = MAX_ALIAS_EXPANSION): Node | undefined {
  const anchors = new Map<string, Node>();
  const sizes = new Map<unknown, number>();
  let expanded = 0;
  // Iterative post-order walk: a deeply nested document must not overflow our stack.
  const stack: Step[] = [{ node: doc.contents, key: "value", entered: false }];
  while (stack.length > 0) {
    const step = stack[stack.length - 1];
    const node = step.node;
    if (step.entered) {
      stack.pop();
      sizes.set(node, 1 + children(node).reduce<number>((sum, c) => sum + (sizes.get(c) ?? 0), 0));
      continue;
    }
    step.entered = true;
    if (isAlias(node)) {
      stack.pop();
      const target = anchors.get(node.source);
      // No size yet: the target is an ancestor still being walked (a cycle), left to toJS.
      const size = target && sizes.get(target);
      expanded += size ?? 1;
      if (expanded > limit) return node;
      sizes.set(node, size ?? 1);
      if (size !== undefined) replace(step, target!);
      continue;
    }
    if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
    const list = children(node);
    for (let i = list.length - 1; i >= 0; i--) {
      const key = isPair(node) ? (i === 0 ? "key" : "value") : i;
      stack.push({ node: list[i], parent: node, key, entered: false });
    }
  }
  return undefined;
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
