import { InputError } from "../yaml/input_error.ts";
import type { Case } from "./types.ts";

/** One part of N: `--shard K/N`, K from 1. */
export interface Shard {
  /** Which part, from 1. */
  index: number;
  /** How many parts. */
  total: number;
}

/** Options of {@linkcode selectCases}. */
export interface SelectOptions {
  /**
   * `--filter TEXT`: keep cases whose name, suite name or matrix label
   * (`key=rsa-2048`) contains it, case-insensitive; not the file path, which
   * a folder name would match in every case.
   */
  filter?: string;
  /** `--tag TAG` (repeatable): keep cases with any of these tags. */
  tags?: string[];
  /** `--exclude-tag TAG` (repeatable): drop cases with any of these tags, e.g. negative controls. */
  excludeTags?: string[];
  /** `--shard K/N`: keep part K of N. */
  shard?: Shard;
}

/**
 * Parses `K/N` (1 <= K <= N), or throws an {@linkcode InputError}.
 *
 * @example
 * ```ts
 * import { parseShard } from "./select.ts";
 * parseShard("2/4"); // { index: 2, total: 4 }
 * ```
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total) {
    throw new InputError({
      message: `--shard must be K/N with 1 <= K <= N, not '${text}'`,
      hint: "e.g. --shard 1/4 in the first of four CI jobs",
    });
  }
  return { index, total };
}

/**
 * Keeps the cases a run asks for: filter and tags first, then the shard. The
 * shard split is deterministic and balanced: cases are ordered by a stable
 * hash of their id and dealt round-robin, so the N shards are disjoint, their
 * union is every selected case, and their sizes differ by at most one. The
 * result keeps the input order.
 *
 * @example
 * ```ts
 * import { selectCases } from "./select.ts";
 * import type { Case } from "./types.ts";
 * declare const cases: Case[];
 * const mine = selectCases(cases, { tags: ["smoke"], shard: { index: 1, total: 3 } });
 * ```
 */
export function selectCases(cases: readonly Case[], options: SelectOptions = {}): Case[] {
  const filter = options.filter?.toLowerCase();
  const tags = options.tags ?? [];
  const excluded = options.excludeTags ?? [];
  let selected = cases.filter((c) =>
    (!filter || filterText(c).includes(filter)) &&
    (tags.length === 0 || c.tags.some((t) => tags.includes(t))) &&
    !c.tags.some((t) => excluded.includes(t))
  );
  const shard = options.shard;
  if (shard && shard.total > 1) {
    const order = selected
      .map((c) => ({ c, h: fnv1a(c.id) }))
      .sort((a, b) => a.h - b.h || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0));
    const mine = new Set(
      order.filter((_, i) => i % shard.total === shard.index - 1).map((o) => o.c),
    );
    selected = selected.filter((c) => mine.has(c));
  }
  return selected;
}

// What --filter looks in: the names people read in the console, not the path.
function filterText(c: Case): string {
  const label = c.matrix ? Object.entries(c.matrix).map(([k, v]) => `${k}=${v}`).join(",") : "";
  return `${c.suite}\n${c.name}\n${label}`.toLowerCase();
}

// FNV-1a 32-bit: stable across runs, machines and Deno versions.
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Parses `--set KEY=VALUE` flags into the values `${set.KEY}` reads.
 *
 * @example
 * ```ts
 * import { parseSetFlags } from "./select.ts";
 * parseSetFlags(["PORT=11112", "HOST=127.0.0.1"]); // { PORT: "11112", HOST: "127.0.0.1" }
 * ```
 */
export function parseSetFlags(values: readonly string[] = []): Record<string, string> {
  const set: Record<string, string> = {};
  for (const item of values) {
    const eq = item.indexOf("=");
    if (eq < 1) {
      throw new InputError({
        message: `--set must be KEY=VALUE, not '${item}'`,
        hint: "e.g. --set PORT=11112",
      });
    }
    set[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return set;
}
