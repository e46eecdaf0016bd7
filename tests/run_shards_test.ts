// `run --shard K/N` with more shards than cases (a CI template's fixed N over a
// small selection): the empty shard is a shard like the others, exit 0 with
// its reports of zero cases, and `merge` of every shard holds each case once.
// A selection that is empty without --shard stays bad input (exit 2).
import assert from "node:assert/strict";
import { parseRunResult } from "../src/report/mod.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { referenceEchoSuite } from "../src/testing/suites.ts";

// The reference AE in-process on one free loopback port: the shards run one after another.
const SUITE = referenceEchoSuite({ cases: ["one", "two"] });

Deno.test("an empty shard exits 0 with reports of zero cases, and merge of every shard holds each case once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-run-shards-" });
  try {
    await Deno.writeTextFile(`${dir}/tiny.yaml`, SUITE);
    const dicomtls = (args: string[]) => runDicomtls(args, { cwd: dir });
    const common = ["tiny.yaml", "--pki-cache", `${dir}/cache`];
    const counts: number[] = [];
    for (const k of [1, 2, 3]) {
      const r = await dicomtls([
        "run",
        ...common,
        "--shard",
        `${k}/3`,
        "--json",
        `shard-${k}.json`,
        "--junit",
        `junit-${k}.xml`,
      ]);
      assert.equal(r.code, 0, `shard ${k}/3: ${r.stdout}${r.stderr}`);
      const run = parseRunResult(await Deno.readTextFile(`${dir}/shard-${k}.json`), "shard.json");
      assert.deepEqual(run.shards?.map((s) => [s.index, s.total]), [[k, 3]]);
      counts.push(run.summary.total);
      if (run.summary.total === 0) {
        assert.match(r.stderr, new RegExp(`note: shard ${k}/3 has no case`), r.stderr);
        assert.match(r.stdout, /^0 passed, 0 failed, 0 errors, 0 skipped/m);
        assert.match(await Deno.readTextFile(`${dir}/junit-${k}.xml`), /tests="0"/);
      }
    }
    assert.deepEqual(counts.toSorted(), [0, 1, 1]);

    const m = await dicomtls(["merge", "shard-1.json", "shard-2.json", "shard-3.json"]);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /^2 passed, 0 failed/);

    // Nothing selected before sharding: bad input, no report.
    const none = await dicomtls([
      "run",
      ...common,
      "--filter",
      "no such case",
      "--shard",
      "1/3",
      "--json",
      "none.json",
    ]);
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /no case selected from 1 suite\(s\)/);
    await assert.rejects(Deno.stat(`${dir}/none.json`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
