/**
 * Ctrl-C during `dicomtls run`: the SUT the suite started is stopped,
 * finished cases are reported as they ended and unfinished ones as
 * interrupted, exit 1. The slow case is real: storescp is started with
 * `--sleep-during 60`, so it sleeps inside every C-STORE while our case
 * waits for the response (timeout 60 s).
 */
import assert from "node:assert/strict";
import { freePort } from "../src/process/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
import { spawnDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";

const ROOT = new URL("..", import.meta.url).pathname;

function suite(port: number): string {
  const store = `    operation: store
    files: [${ROOT}fixtures/ae/secondary_capture.dcm]
    expect: { store: success }`;
  return `suite: storescp sleeps through every C-STORE
pki: ${ROOT}fixtures/pki/standard.yaml
peers:
  sut:
    ae: STORESCP
    host: 127.0.0.1
    port: ${port}
    concurrency: 1
    start:
      command:
        [storescp, +tls, "\${pki.server.key}", "\${pki.server.chain}", +cf, "\${pki.root.crt}",
         --ignore, --sleep-during, "60", -aet, STORESCP, "${port}"]
      env: { TCP_NODELAY: "1" }
  harness: { ae: HARNESS, certificate: client, trust: [root] }
defaults: { timeout: 60s }
cases:
  - name: first echo
    expect: { echo: success }
  - name: second echo
    expect: { echo: success }
  - name: a store storescp sleeps through
${store}
  - name: a store after it
${store}
  - name: an echo after it
    expect: { echo: success }
`;
}

/** PIDs of running storescp processes listening on `port`, from /proc. */
function storescpOn(port: number): number[] {
  const pids: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const argv = Deno.readTextFileSync(`/proc/${e.name}/cmdline`).split("\0");
      if (argv[0].endsWith("storescp") && argv.includes(String(port))) pids.push(Number(e.name));
    } catch { /* ended meanwhile */ }
  }
  return pids;
}

async function listening(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "SIGINT during a run stops the started storescp, reports finished cases and marks the rest interrupted, exit 1",
  ignore: !havePeer("storescp", "dcmtk"),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-interrupt-test-" });
    const port = freePort();
    await Deno.writeTextFile(`${dir}/slow.yaml`, suite(port));
    const proc = spawnDicomtls(
      ["run", `${dir}/slow.yaml`, "--json", `${dir}/results.json`, "--junit", `${dir}/junit.xml`],
      { cwd: ROOT, env: { TMPDIR: dir } },
    );
    const stderr = new Response(proc.stderr).text();
    const lines = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    try {
      // Read until both echoes passed (the store has then begun), then Ctrl-C.
      while ((out.match(/^PASS /gm) ?? []).length < 2) {
        const { value, done } = await lines.read();
        if (done) break;
        out += value;
      }
      assert.deepEqual(storescpOn(port).length, 1, "storescp should be running\n" + out);
      await new Promise((r) => setTimeout(r, 1000)); // into storescp's sleep
      const began = performance.now();
      proc.kill("SIGINT");
      for (let r = await lines.read(); !r.done; r = await lines.read()) out += r.value;
      const code = (await proc.status).code;
      const stoppedIn = performance.now() - began;
      const err = await stderr;

      assert.equal(code, 1, `${out}\n${err}`);
      assert.match(err, /stopping: finishing reports/);
      assert.ok(stoppedIn < 10_000, `the run took ${stoppedIn} ms to stop`);
      assert.deepEqual(storescpOn(port), [], "storescp is still running");
      assert.equal(await listening(port), false, `something still listens on ${port}`);

      const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
      assert.equal(run.interrupted, true);
      assert.deepEqual(
        run.suites[0].cases.map((c) => [c.name, c.status, c.message]),
        [
          ["first echo", "passed", undefined],
          ["second echo", "passed", undefined],
          [
            "a store storescp sleeps through",
            "interrupted",
            "the run was stopped during this case",
          ],
          ["a store after it", "interrupted", "the run was stopped before this case started"],
          ["an echo after it", "interrupted", "the run was stopped before this case started"],
        ],
      );
      assert.deepEqual(
        { passed: run.summary.passed, interrupted: run.summary.interrupted },
        { passed: 2, interrupted: 3 },
      );
      const junit = await Deno.readTextFile(`${dir}/junit.xml`);
      assert.equal((junit.match(/<skipped\b/g) ?? []).length, 3);
      assert.match(out, /^2 passed, 0 failed, 0 errors/m);
    } finally {
      try {
        proc.kill("SIGKILL");
      } catch { /* already ended */ }
      await proc.status;
      await lines.cancel().catch(() => {});
      await stderr.catch(() => "");
      await Deno.remove(dir, { recursive: true });
    }
  },
});
