/**
 * `dicomtls merge` of real sharded runs: the merge of `--shard 1/2` and
 * `2/2` of a suite with profile cases holds what the unsharded run holds,
 * the target's probe included (results.json and the HTML report); shards
 * of one split whose jobs selected different cases are refused; and a
 * report path that is one of the inputs is refused before anything is
 * written (exit 2, the input intact). The command lines of the tiny suite
 * run in one child process between two checks (src/testing/cli_batch.ts): a
 * child each spent ~0.3-1 CPU-seconds loading.
 */
import assert from "node:assert/strict";
import { freePort } from "../src/process/mod.ts";
import { parseRunResult } from "../src/report/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { type BatchLine, runDicomtlsBatch } from "../src/testing/cli_batch.ts";
import { havePeer } from "../src/testing/peers.ts";
import { referenceEchoSuite } from "../src/testing/suites.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SUITE = referenceEchoSuite({ cases: ["one", "two", "three"] });

async function read(file: string): Promise<RunResult> {
  return parseRunResult(await Deno.readTextFile(file), file);
}

Deno.test({
  name:
    "merge of --shard 1/2 and 2/2 of a suite with profile cases keeps the probe the unsharded run has, in results.json and HTML",
  ignore: !havePeer("storescp", "dcmtk") || !havePeer("node", "nodejs"),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-merge-probe-" });
    try {
      const run = (extra: string[]) =>
        runDicomtls([
          "run",
          "scenarios/dcmtk/storescp-profiles.yaml",
          "--set",
          `port=${freePort()}`,
          ...extra,
        ], { cwd: ROOT, env: { TMPDIR: dir } });
      const whole = await run(["--json", `${dir}/all.json`, "--html", `${dir}/all.html`]);
      assert.equal(whole.code, 0, whole.stdout + whole.stderr);
      for (const k of [1, 2]) {
        const r = await run(["--shard", `${k}/2`, "--json", `${dir}/s${k}.json`]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
      }
      const m = await runDicomtls([
        "merge",
        `${dir}/s1.json`,
        `${dir}/s2.json`,
        "--json",
        `${dir}/merged.json`,
        "--html",
        `${dir}/merged.html`,
      ]);
      assert.equal(m.code, 0, m.stdout + m.stderr);
      const [all, merged] = [await read(`${dir}/all.json`), await read(`${dir}/merged.json`)];
      assert.ok(all.suites[0].probe, "the unsharded run has the probe");
      assert.ok(merged.suites[0].probe, "the merge keeps it");
      assert.deepEqual(
        merged.suites[0].probe.versions.map((v) => [v.version, v.status]),
        all.suites[0].probe.versions.map((v) => [v.version, v.status]),
      );
      const verdicts = (r: RunResult) =>
        r.suites[0].cases.map((c) => [c.name, c.status, c.profiles?.map((p) => p.verdict)]);
      assert.deepEqual(verdicts(merged), verdicts(all));
      const html = await Deno.readTextFile(`${dir}/merged.html`);
      assert.match(await Deno.readTextFile(`${dir}/all.html`), /aria-label="tls profiles"/);
      assert.match(html, /aria-label="tls profiles"/);
      assert.match(html, /<code>TLS_RSA_WITH_AES_128_CBC_SHA<\/code>/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** The line that runs tiny.yaml's shard K/2 with `selection` flags into sK.json. */
function tinyShard(k: number, selection: string[]): BatchLine {
  return {
    args: [
      "run",
      "tiny.yaml",
      "--pki-cache",
      "cache",
      ...selection,
      "--shard",
      `${k}/2`,
      "--json",
      `s${k}.json`,
    ],
  };
}

/** Runs `lines` in `dir` (tiny.yaml written there) and asserts each shard's run exit 0. */
async function inTiny(dir: string, lines: BatchLine[]) {
  await Deno.writeTextFile(`${dir}/tiny.yaml`, SUITE);
  const results = await runDicomtlsBatch(lines, { cwd: dir });
  for (const [i, r] of results.entries()) {
    if (lines[i].args[0] === "run") assert.equal(r.code, 0, r.stdout + r.stderr);
  }
  return results;
}

Deno.test("merge refuses shards of one split whose runs selected different cases (exit 2, nothing written)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-merge-selection-" });
  try {
    const merge = { args: ["merge", "s1.json", "s2.json", "--json", "merged.json"] };
    // Both shards are there, and no case is in both: only the selections tell them apart.
    const mixed = (await inTiny(dir, [
      tinyShard(1, ["--filter", "one"]),
      tinyShard(2, ["--filter", "two"]),
      merge,
    ]))[2];
    assert.equal(mixed.code, 2, mixed.stdout + mixed.stderr);
    assert.match(
      mixed.stderr,
      /^dicomtls merge: shards of different selections: 1\/2 \(s1\.json\) selected 1 case with --filter 'one', 2\/2 \(s2\.json\) selected 1 case with --filter 'two' \(hint: /,
    );
    await assert.rejects(Deno.stat(`${dir}/merged.json`));

    const same = (await inTiny(dir, [tinyShard(2, ["--filter", "one"]), merge]))[1];
    assert.equal(same.code, 0, same.stdout + same.stderr);
    const merged = await read(`${dir}/merged.json`);
    assert.deepEqual(merged.shards?.map((s) => s.selection?.filter), ["one", "one"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge refuses a report path that is one of its inputs before writing anything (exit 2, the input intact)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-merge-over-input-" });
  try {
    await inTiny(dir, [tinyShard(1, []), tinyShard(2, [])]);
    const before = await Deno.readTextFile(`${dir}/s1.json`);
    const over = await runDicomtls(
      ["merge", "s1.json", "s2.json", "--html", "r.html", "--json", "./s1.json"],
      { cwd: dir },
    );
    assert.equal(over.code, 2, over.stdout + over.stderr);
    assert.match(
      over.stderr,
      /^dicomtls merge: cannot write report \.\/s1\.json: it would replace one of the results being merged s1\.json/,
    );
    assert.equal(await Deno.readTextFile(`${dir}/s1.json`), before);
    await assert.rejects(Deno.stat(`${dir}/r.html`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
