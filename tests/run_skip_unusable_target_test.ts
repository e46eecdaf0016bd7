/**
 * A case marked `skip:` makes no claim about its target, so it is SKIP
 * whatever the target does: also when nothing listens on the port, or when
 * the port accepts TCP and never answers (the target fails its sanity check
 * and the cases not about the transport are errors).
 */
import assert from "node:assert/strict";
import type { RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { startListener } from "../src/testing/listeners.ts";
import { freePort } from "../src/process/mod.ts";

const suite = (name: string, port: number, cases: string) => `
suite: ${name}
peers:
  sut: { role: scp, ae: X, host: 127.0.0.1, port: ${port} }
defaults: { timeout: 1s }
cases:
${cases}`;

async function run(dir: string, yaml: string): Promise<{ code: number; run: RunResult }> {
  await Deno.writeTextFile(`${dir}/suite.yaml`, yaml);
  const r = await runDicomtls(["run", `${dir}/suite.yaml`, "--reports", `${dir}/out`], {
    cwd: dir,
  });
  const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/out/results.json`));
  return { code: r.code, run };
}

Deno.test("a skipped case is SKIP against a port with nothing listening", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-skip-dead-" });
  try {
    const only = await run(dir, suite("dead", freePort(), "  - { name: k6, skip: because }"));
    assert.deepEqual(
      only.run.suites[0].cases.map((c) => [c.name, c.status, c.message]),
      [["k6", "skipped", "because"]],
    );
    assert.equal(only.code, 0, "a run whose only case is skipped has nothing that failed");
    const mixed = await run(
      dir,
      suite(
        "dead",
        freePort(),
        `
  - { name: echoes, expect: { echo: success } }
  - { name: k6, skip: because }
  - { name: tcp refused, expect: { tcp: refused } }`,
      ),
    );
    assert.deepEqual(mixed.run.suites[0].cases.map((c) => [c.name, c.status]), [
      ["echoes", "error"],
      ["k6", "skipped"],
      ["tcp refused", "passed"],
    ]);
    assert.equal(mixed.code, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a skipped case is SKIP against a port that accepts TCP and never answers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-skip-mute-" });
  const mute = await startListener("silent");
  try {
    const { code, run: r } = await run(
      dir,
      suite(
        "mute",
        mute.port,
        `
  - { name: tcp connects, expect: { tcp: connected } }
  - { name: k6, skip: because }`,
      ),
    );
    assert.match(r.suites[0].error ?? "", /sanity check failed/);
    assert.deepEqual(r.suites[0].cases.map((c) => [c.name, c.status]), [
      ["tcp connects", "passed"],
      ["k6", "skipped"],
    ]);
    assert.equal(code, 0);
  } finally {
    await mute.close();
    await Deno.remove(dir, { recursive: true });
  }
});
