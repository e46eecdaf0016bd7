/**
 * After a failed TLS sanity check the cases about the transport still run
 * (plain DICOM, `tls: not-tls`, `tcp:`), and the re-check of the target is
 * TCP only: it cannot tell a live port from a mute one. So a conversation in
 * which the target sent not one byte (silence until our deadline, a close
 * or a reset without a byte) is an ERROR, whatever the case expects: no
 * verdict rests on silence. The controls: a port that answers with bytes
 * (an A-ASSOCIATE-RJ, HTTP) is judged, and `tcp:` is a fact about TCP.
 */
import assert from "node:assert/strict";
import type { RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { type Listener, type ListenerBehaviour, startListener } from "../src/testing/listeners.ts";

const CASES = `
  - { name: plain echo is refused, harness: { tls: off }, expect: { echo: failure } }
  - { name: plain association is rejected, harness: { tls: off }, expect: { association: rejected } }
  - { name: plain association is aborted, harness: { tls: off }, expect: { association: aborted } }
  - { name: the port does not speak TLS, expect: { tls: not-tls } }
  - { name: the port accepts TCP, harness: { tls: off }, expect: { tcp: connected } }
  - { name: TCP connects and the echo fails, expect: { tcp: connected, echo: failure } }`;

const BEHAVIOURS: ListenerBehaviour[] = ["silent", "close", "reset", "reject", "http"];

Deno.test("transport cases against a target that failed its TLS sanity check are errors when it said nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-transport-silence-" });
  const listeners: Listener[] = [];
  try {
    for (const how of BEHAVIOURS) {
      const l = await startListener(how);
      listeners.push(l);
      await Deno.writeTextFile(
        `${dir}/${how}.yaml`,
        `suite: ${how}
peers:
  sut: { role: scp, ae: MUTE, host: 127.0.0.1, port: ${l.port} }
defaults: { timeout: 1s }
cases:${CASES}
`,
      );
    }
    const r = await runDicomtls(["run", dir, "--reports", `${dir}/out`], { cwd: dir });
    const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/out/results.json`));
    const statuses = Object.fromEntries(
      run.suites.map((s) => [s.name, s.cases.map((c) => [c.name, c.status])]),
    );
    const silent = [
      ["plain echo is refused", "error"],
      ["plain association is rejected", "error"],
      ["plain association is aborted", "error"],
      ["the port does not speak TLS", "error"],
      ["the port accepts TCP", "passed"],
      // tcp: is a fact of its own; the echo's failure still rests on silence.
      ["TCP connects and the echo fails", "error"],
    ];
    const out = r.stdout + r.stderr;
    assert.deepEqual(statuses.silent, silent, out);
    assert.deepEqual(statuses.close, silent, out);
    assert.deepEqual(statuses.reset, silent, out);
    // Bytes from the target are its answer, and are judged.
    assert.deepEqual(statuses.reject, [
      ["plain echo is refused", "passed"],
      ["plain association is rejected", "passed"],
      ["plain association is aborted", "failed"],
      ["the port does not speak TLS", "passed"],
      ["the port accepts TCP", "passed"],
      ["TCP connects and the echo fails", "passed"],
    ], out);
    assert.deepEqual(statuses.http, [
      ["plain echo is refused", "passed"],
      ["plain association is rejected", "failed"],
      // The A-ABORT is ours, on its HTTP answer: the port did not abort anything.
      ["plain association is aborted", "failed"],
      ["the port does not speak TLS", "passed"],
      ["the port accepts TCP", "passed"],
      ["TCP connects and the echo fails", "passed"],
    ], out);
    const http = run.suites.find((s) => s.name === "http")!.cases[2];
    assert.match(http.message ?? "", /association: aborted by us, unrecognized-pdu/);
    for (const how of ["silent", "close", "reset"]) {
      const suite = run.suites.find((s) => s.name === how)!;
      assert.equal(suite.error?.startsWith("sanity check failed:"), true, how);
      for (const c of suite.cases.filter((c) => c.status === "error")) {
        assert.match(c.message ?? "", /^the target sent nothing in this conversation \(/, how);
        assert.match(c.message ?? "", /not a verdict on the target$/, how);
        assert.ok(c.outcome, "the conversation is kept as evidence");
      }
    }
  } finally {
    await Promise.all(listeners.map((l) => l.close()));
    await Deno.remove(dir, { recursive: true });
  }
});
