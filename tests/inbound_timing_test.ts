/**
 * Inbound cases and time: cases on free ports run concurrently (each on its
 * own port); a SUT that never connects is an error naming the trigger and
 * where we listened, within the case's timeout; an operator told what to do
 * (a manual trigger) is waited for no longer than the case's timeout.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runSuites } from "../src/runner/mod.ts";
import { loadSuites } from "../src/scenario/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { echoscuInboundSuite } from "../src/testing/suites.ts";

async function suiteFile(dir: string, name: string, body: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await Deno.writeTextFile(file, echoscuInboundSuite({ name, body }));
  return file;
}

Deno.test({
  name:
    "inbound cases on free ports run concurrently, each on its own port, and a SUT that never connects is an error in time",
  ignore: !havePeer("echoscu", "dcmtk"),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-inbound-timing-" });
    try {
      const slow = (n: number) =>
        `  - name: echo ${n}
    trigger:
      command: [sh, -c, 'sleep 1; exec echoscu -aet ECHOSCU -aec HARNESS "$0" "$1" +tls "$2" "$3" +cf "$4"', "\${harness.host}", "\${harness.port}", "\${pki.client.key}", "\${pki.client.crt}", "\${pki.root.crt}"]
      env: { TCP_NODELAY: "1" }
    expect: { association: accepted, echo: success }`;
      const file = await suiteFile(
        dir,
        "timing",
        `defaults: { timeout: 8s }
cases:
${[1, 2, 3, 4].map(slow).join("\n")}
  - name: a SUT that never connects
    timeout: 1500ms
    trigger: { command: [sleep, "30"] }
    expect: { association: accepted }
`,
      );
      const suites = await loadSuites([file], { pkiCacheDir: join(dir, "pki") });
      const began = performance.now();
      const run = await runSuites({ suites, concurrency: 8 });
      const took = performance.now() - began;
      const cases = run.suites[0].cases;
      assert.deepEqual(cases.map((c) => c.status), [
        "passed",
        "passed",
        "passed",
        "passed",
        "error",
      ]);
      const ports = cases.slice(0, 4).map((c) => c.outcome!.target.port);
      assert.equal(new Set(ports).size, 4, `distinct ports: ${ports}`);
      // Each echo waits a second first: one after another they would take 4 s.
      assert.ok(took < 3500, `5 cases in ${Math.round(took)} ms`);
      const never = cases[4];
      assert.match(
        never.message!,
        /^the SUT never connected to 127\.0\.0\.1:\d+: we waited 1\.\d s for its TCP connection, until our timeout \(trigger: sleep 30: still running after the case's time: stopped by us\)$/,
      );
      assert.ok(
        never.durationMs < 1500 + 1000,
        `never-connecting case took ${never.durationMs} ms`,
      );
      assert.equal(never.outcome?.trigger?.stopped, true);
      assert.equal(run.suites[0].sanity?.status, "passed");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a manual trigger tells the operator where to connect and is an error once the case's time is up", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-inbound-manual-" });
  try {
    const file = await suiteFile(
      dir,
      "manual",
      `cases:
  - name: an operator who never comes
    timeout: 1s
    trigger: { manual: "press Send on the console" }
    expect: { association: accepted }
`,
    );
    const suites = await loadSuites([file], { pkiCacheDir: join(dir, "pki") });
    const notices: string[] = [];
    const run = await runSuites({ suites, onNotice: (t) => notices.push(t) });
    const [c] = run.suites[0].cases;
    assert.equal(c.status, "error");
    assert.match(
      notices[0],
      /^an operator who never comes: on the device under test, send a DICOM Verification \(C-ECHO\) over TLS to AE HARNESS at 127\.0\.0\.1:\d+ within 1 s; press Send on the console$/,
    );
    assert.match(
      c.message!,
      /^the SUT never connected to 127\.0\.0\.1:\d+: we waited [01]\.\d s for its TCP connection, until our timeout \(trigger: manual: no one connected in time\)$/,
    );
    assert.ok(c.durationMs < 2000, `${c.durationMs} ms`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
