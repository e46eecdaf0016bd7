/**
 * What an inbound case's DIMSE expectations say of a SUT whose association
 * ends in the middle of a request (src/testing/hostile_scu.ts): a C-STORE it
 * aborted halfway got no Success, so `store: success` fails and
 * `dimse: { status: aborted }` holds; a PDV on a context it never proposed
 * gets our A-ABORT, which reads `aborted by us`, never an association that
 * stayed accepted.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runSuites } from "../src/runner/mod.ts";
import { loadSuites } from "../src/scenario/mod.ts";
import { hostileScuCommand } from "../src/testing/hostile_scu.ts";

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test("a C-STORE the SUT aborted halfway got no Success, and a PDV on a context it never proposed gets our A-ABORT", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-inbound-dimse-" });
  try {
    const trigger = (mode: string, arg?: string) =>
      `{ command: ${JSON.stringify(hostileScuCommand(mode, "HARNESS", arg))} }`;
    const file = join(dir, "dimse.yaml");
    await Deno.writeTextFile(
      file,
      `suite: dimse
pki: ${ROOT}fixtures/pki/inbound.yaml
peers:
  sut: { role: scu, ae: HOSTILE, trigger: ${trigger("store-abort", "1")} }
  harness: { ae: HARNESS, certificate: server }
defaults: { timeout: 6s }
cases:
  - name: one whole store, then an abort in the second
    expect: { store: success }
  - name: an abort in the first store
    trigger: ${trigger("store-abort", "0")}
    expect: { dimse: { status: aborted }, association: aborted }
  - name: a C-ECHO on a context it never proposed
    trigger: ${trigger("unproposed-context")}
    expect: { association: accepted }
`,
    );
    const suites = await loadSuites([file], { pkiCacheDir: join(dir, "pki") });
    const run = await runSuites({ suites, concurrency: 3 });
    const [second, first, unproposed] = run.suites[0].cases;

    assert.equal(second.status, "failed", second.message ?? "");
    assert.match(second.message!, /expected store success, got failure/);
    const requests = second.outcome?.dimse?.requests ?? [];
    assert.deepEqual(requests.map((r) => [r.sopInstanceUid, r.answer]), [
      ["2.25.1", { status: 0, statusName: "Success" }],
      ["2.25.2", { aborted: true }],
    ]);
    assert.deepEqual(second.outcome?.dimse?.operations.map((op) => op.category), [
      "success",
      "aborted",
    ]);

    assert.equal(first.status, "passed", first.message ?? "");
    assert.equal(first.outcome?.association?.abort?.by, "peer");

    assert.equal(unproposed.status, "failed", unproposed.message ?? "");
    assert.match(unproposed.message!, /expected association accepted, got aborted by us/);
    assert.match(unproposed.outcome!.association!.error!, /context 5, never accepted/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
