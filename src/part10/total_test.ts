import assert from "node:assert/strict";
import { Part10Total } from "./total.ts";

const GIB = 1024 ** 3;

Deno.test("Part10Total counts a path once when distinct, each time otherwise, and says the problem once", () => {
  const run = new Part10Total({ hint: "h", distinct: true });
  assert.equal(run.add("/a.dcm", 1.5 * GIB), undefined);
  // A run holds one copy of a file however many cases name it.
  assert.equal(run.add("/a.dcm", 1.5 * GIB), undefined);
  assert.match(run.add("/b.dcm", GIB)?.message ?? "", /hold 2\.5 GiB, more than the 2 GiB/);
  assert.equal(run.add("/c.dcm", GIB), undefined, "said once");
  const store = new Part10Total({ hint: "h", distinct: false });
  assert.equal(store.add("/a.dcm", 1.5 * GIB), undefined);
  assert.equal(store.add("/a.dcm", 1.5 * GIB)?.hint, "h");
});

Deno.test("Part10Total leaves a file over the bound by itself to its reader's own words", () => {
  // Found in CI: a 2 GiB + 1 file was said to make "the files up to this one hold 2.0 GiB".
  const run = new Part10Total({ hint: "h", distinct: true });
  assert.equal(run.add("/small.dcm", 1024), undefined);
  assert.equal(run.add("/huge.dcm", 2 * GIB + 1), undefined);
  assert.match(run.add("/b.dcm", 2 * GIB)?.message ?? "", /hold 2\.0 GiB/);
});
