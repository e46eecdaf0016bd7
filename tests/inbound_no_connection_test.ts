/**
 * An inbound case whose SUT never connects: our wait ended, so it is an
 * error that says what we waited for and how long, never a failure of the
 * SUT; unless the case expects no connection (`tcp: timeout`), which is
 * then judged like any expectation.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runSuites } from "../src/runner/mod.ts";
import { loadSuites } from "../src/scenario/mod.ts";
import { echoscuInboundSuite } from "../src/testing/suites.ts";
import { freePort } from "../src/process/mod.ts";

Deno.test("an inbound case no SUT connects to is an error naming our wait, and passes only when it expects tcp: timeout", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-inbound-none-" });
  try {
    const file = join(dir, "none.yaml");
    await Deno.writeTextFile(
      file,
      echoscuInboundSuite({
        name: "none",
        body: `cases:
  - name: expects an association
    timeout: 1s
    trigger: { command: [sleep, "30"] }
    expect: { association: accepted }
  - name: expects no connection
    timeout: 1s
    trigger: { command: [sleep, "30"] }
    expect: { tcp: timeout }
`,
      }),
    );
    const suites = await loadSuites([file], { pkiCacheDir: join(dir, "pki") });
    const run = await runSuites({ suites });
    const [wanted, none] = run.suites[0].cases;
    assert.equal(wanted.status, "error", String(wanted.message));
    assert.match(
      wanted.message!,
      /^the SUT never connected to 127\.0\.0\.1:\d+: we waited [01]\.\d s for its TCP connection, until our timeout \(trigger: sleep 30: /,
    );
    assert.equal(none.status, "passed", String(none.message));
    assert.equal(none.outcome?.tcp.status, "timeout");
    assert.equal(run.summary.errors, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tcp: timeout is an error when the trigger could not ask the SUT: a program not found (by us or the shell), an HTTP request that reached no one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-inbound-trigger-failed-" });
  try {
    const file = join(dir, "failed.yaml");
    await Deno.writeTextFile(
      file,
      echoscuInboundSuite({
        name: "trigger failed",
        body: `cases:
  - name: the program is not there
    timeout: 2s
    trigger: { command: [/nonexistent/dicomtls-scu, "\${harness.port}"] }
    expect: { tcp: timeout }
  - name: nothing answers the HTTP request
    timeout: 2s
    trigger: { http: { url: "http://127.0.0.1:${freePort()}/modalities/harness/echo" } }
    expect: { tcp: timeout }
  - name: the shell cannot find the program
    timeout: 2s
    trigger: { command: [sh, -c, "exec /nonexistent/dicomtls-scu"] }
    expect: { tcp: timeout }
  - name: the program runs and fails without connecting
    timeout: 2s
    trigger: { command: [sh, -c, "exit 3"] }
    expect: { tcp: timeout }
`,
      }),
    );
    const suites = await loadSuites([file], { pkiCacheDir: join(dir, "pki") });
    const run = await runSuites({ suites });
    const cases = run.suites[0].cases;
    assert.deepEqual(
      cases.map((c) => [c.name, c.status]),
      [
        ["the program is not there", "error"],
        ["nothing answers the HTTP request", "error"],
        // sh's 127: the command was not found, so the SUT never ran.
        ["the shell cannot find the program", "error"],
        // The SUT ran, and did not connect: what tcp: timeout asks.
        ["the program runs and fails without connecting", "passed"],
      ],
      cases.map((c) => `${c.name}: ${c.message}`).join("\n"),
    );
    assert.match(
      cases[0].message!,
      /cannot start \/nonexistent\/dicomtls-scu: program not found\)$/,
    );
    assert.match(
      cases[1].message!,
      /\(trigger: POST http:\/\/127\.0\.0\.1:\d+\/modalities\/harness\/echo: /,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
