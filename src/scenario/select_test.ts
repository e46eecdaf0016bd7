import assert from "node:assert/strict";
import type { Case } from "./types.ts";
import { parseSetFlags, parseShard, selectCases } from "./select.ts";

// Only id, names, matrix and tags matter to selection.
const cases = Array.from(
  { length: 101 },
  (_, i) =>
    ({
      id: `s${i % 3}.yaml::case ${i}`,
      suite: `suite ${i % 3}`,
      name: `case ${i}`,
      tags: i % 10 === 0 ? ["smoke"] : [],
    }) as unknown as Case,
);

Deno.test("selectCases() splits shards that are disjoint, cover everything and are balanced", () => {
  for (const total of [1, 2, 3, 7]) {
    const shards = Array.from(
      { length: total },
      (_, k) => selectCases(cases, { shard: { index: k + 1, total } }),
    );
    const ids = shards.flat().map((c) => c.id);
    assert.equal(new Set(ids).size, cases.length, `N=${total}: disjoint and complete`);
    const sizes = shards.map((s) => s.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `N=${total}: sizes ${sizes}`);
  }
});

Deno.test("selectCases() gives the same shard for the same cases in any order", () => {
  const shard = { index: 2, total: 4 };
  const a = selectCases(cases, { shard }).map((c) => c.id).sort();
  const b = selectCases([...cases].reverse(), { shard }).map((c) => c.id).sort();
  assert.deepEqual(a, b);
});

Deno.test("selectCases() filters by text in the case or suite name and by any of the tags, keeping order", () => {
  assert.deepEqual(selectCases(cases, { filter: "CASE 10" }).map((c) => c.id), [
    "s1.yaml::case 10",
    "s1.yaml::case 100",
  ]);
  assert.equal(selectCases(cases, { tags: ["smoke", "other"] }).length, 11);
  assert.equal(selectCases(cases, { tags: ["smoke"], filter: "suite 0" }).length, 4);
});

Deno.test("selectCases() --filter does not match the file path, but matches a matrix label", () => {
  assert.equal(selectCases(cases, { filter: "s0.yaml" }).length, 0);
  assert.equal(selectCases(cases, { filter: ".yaml" }).length, 0);
  const matrix = [
    { id: "a::x[key=rsa-2048]", suite: "s", name: "x", matrix: { key: "rsa-2048" }, tags: [] },
    { id: "a::x[key=ec-p256]", suite: "s", name: "x", matrix: { key: "ec-p256" }, tags: [] },
  ] as unknown as Case[];
  assert.deepEqual(selectCases(matrix, { filter: "RSA" }).map((c) => c.id), ["a::x[key=rsa-2048]"]);
});

Deno.test("parseShard() and parseSetFlags() refuse malformed flags", () => {
  assert.deepEqual(parseShard("3/4"), { index: 3, total: 4 });
  assert.throws(() => parseShard("5/4"), /--shard must be K\/N/);
  assert.throws(() => parseShard("0/4"), /--shard must be K\/N/);
  assert.deepEqual(parseSetFlags(["A=1", "B=x=y"]), { A: "1", B: "x=y" });
  assert.throws(() => parseSetFlags(["novalue"]), /--set must be KEY=VALUE/);
});

Deno.test("selectCases() drops the cases of an excluded tag", () => {
  const cases = [
    { id: "a.yaml::one", tags: ["dcmtk"] },
    { id: "b.yaml::two", tags: ["dcmtk", "negative-control"] },
  ] as unknown as Case[];
  const kept = selectCases(cases, { excludeTags: ["negative-control"] });
  assert.deepEqual(kept.map((c) => c.id), ["a.yaml::one"]);
});
