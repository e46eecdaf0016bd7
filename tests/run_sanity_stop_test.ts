/**
 * The start-of-suite sanity check against a target that accepts TCP and
 * never answers: it waits as long as a case may (`--timeout`, else the
 * suite's timeout), not a fixed 5 s, and the run's deadline or Ctrl-C
 * abandons it at once; the suite's cases are then `interrupted` (not run),
 * never errors blaming the target, and the summary agrees with
 * `"interrupted": true`.
 */
import assert from "node:assert/strict";
import type { RunResult } from "../src/runner/result.ts";
import { runDicomtls, spawnDicomtls } from "../src/testing/cli.ts";

/** A TCP listener that accepts and never sends a byte; `connected` resolves at the first. */
function silentListener() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  let first = () => {};
  const connected = new Promise<void>((resolve) => (first = resolve));
  const accepting = (async () => {
    try {
      for await (const c of listener) {
        conns.push(c);
        first();
      }
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    connected,
    async close() {
      listener.close();
      conns.forEach((c) => {
        try {
          c.close();
        } catch { /* closed by the peer */ }
      });
      await accepting;
    },
  };
}

// A suite timeout far beyond the test's bounds: the check must end by the flag, not by it.
const suite = (port: number) => `
suite: silent target
peers:
  sut: { role: scp, ae: SILENT, host: 127.0.0.1, port: ${port} }
defaults: { timeout: 30s }
cases:
  - { name: trusted echoes, expect: { echo: success } }
  - { name: expired is refused, expect: { tls: refused-by-peer } }
  - { name: untrusted is refused, expect: { echo: failure } }
`;

async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-sanity-stop-" });
  const target = silentListener();
  await Deno.writeTextFile(`${dir}/silent.yaml`, suite(target.port));
  return { dir, target };
}

function assertAllInterrupted(run: RunResult) {
  assert.equal(run.interrupted, true);
  assert.deepEqual(run.summary, {
    total: 3,
    passed: 0,
    failed: 0,
    errors: 0,
    skipped: 0,
    expectedFailures: 0,
    interrupted: 3,
  });
  assert.equal(run.suites[0].sanity?.status, "interrupted");
  assert.match(run.suites[0].sanity!.message!, /the run was stopped before .* answered/);
  for (const c of run.suites[0].cases) {
    assert.equal(c.message, "the run was stopped before this case started");
  }
}

Deno.test("--deadline abandons the sanity check of a silent target: cases interrupted", async () => {
  const { dir, target } = await setup();
  try {
    const r = await runDicomtls(
      ["run", `${dir}/silent.yaml`, "--deadline", "1s", "--json", `${dir}/results.json`],
    );
    assert.equal(r.code, 1, r.stderr);
    const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
    assertAllInterrupted(run);
    assert.ok(run.durationMs < 3000, `the run took ${run.durationMs} ms`);
    assert.match(r.stdout, /3 interrupted in .* \(run interrupted\)/);
  } finally {
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--timeout bounds the sanity check (the suite says 30s, the flag 1s)", async () => {
  const { dir, target } = await setup();
  try {
    const r = await runDicomtls(
      ["run", `${dir}/silent.yaml`, "--timeout", "1s", "--json", `${dir}/results.json`],
    );
    assert.equal(r.code, 1, r.stderr);
    const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
    assert.equal(run.interrupted, false);
    assert.equal(run.summary.errors, 3);
    assert.equal(run.suites[0].sanity?.status, "error");
    assert.match(
      run.suites[0].sanity!.message!,
      /does not answer TLS: timeout .*within \d{3,4} ms/,
    );
    assert.ok(run.durationMs < 3000, `the run took ${run.durationMs} ms`);
  } finally {
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGINT during the sanity check ends the run at once, cases interrupted", async () => {
  const { dir, target } = await setup();
  try {
    const child = spawnDicomtls(["run", `${dir}/silent.yaml`, "--json", `${dir}/results.json`]);
    const output = child.output();
    await target.connected; // the sanity check is waiting for the target
    await new Promise((r) => setTimeout(r, 300));
    const signalled = performance.now();
    child.kill("SIGINT");
    const { code, stderr } = await output;
    const took = performance.now() - signalled;
    assert.equal(code, 1, new TextDecoder().decode(stderr));
    assert.ok(took < 2500, `exit ${Math.round(took)} ms after SIGINT`);
    const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
    assertAllInterrupted(run);
  } finally {
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});
