import { createHash } from "node:crypto";
import type { ShardSelection } from "./result.ts";

/**
 * What a sharded run selected before it took its part (`--shard K/N`):
 * the selection flags as given and the number and SHA-256 of the selected
 * cases' ids, so that `merge` can refuse shards of one split whose jobs
 * selected different cases (their merge would leave cases out).
 *
 * @example
 * ```ts
 * import { shardSelection } from "./shard_selection.ts";
 * const s = shardSelection([{ id: "suite.yaml::one" }], { filter: "one" });
 * s.cases; // 1
 * ```
 */
export function shardSelection(
  selected: readonly { id: string }[],
  given: { filter?: string; tags?: string[]; excludeTags?: string[] },
): ShardSelection {
  const ids = selected.map((c) => c.id).sort().join("\n");
  return {
    ...(given.filter !== undefined ? { filter: given.filter } : {}),
    ...(given.tags?.length ? { tags: given.tags } : {}),
    ...(given.excludeTags?.length ? { excludeTags: given.excludeTags } : {}),
    cases: selected.length,
    sha256: createHash("sha256").update(ids).digest("hex"),
  };
}
