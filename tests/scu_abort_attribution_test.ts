/**
 * Who ended the association, against real hostile SCPs: the A-ABORT we send
 * on a PDU of the peer's that has no place (an A-RELEASE-RP for our C-ECHO-RQ,
 * a PDU type PS3.8 does not have at release) is recorded as ours, so that
 * `association: aborted` and `dimse: { status: aborted }` (the peer aborted)
 * do not hold on it; the peer's A-ABORT for our A-RELEASE-RQ is recorded as
 * the peer's, so that they do.
 */
import assert from "node:assert/strict";
import { evaluateExpectations } from "../src/runner/mod.ts";
import type { Expectation } from "../src/scenario/mod.ts";
import { runScu } from "../src/scu/mod.ts";
import { type HostileAnswer, startHostileDimseScp } from "../src/testing/hostile_dimse_scp.ts";
import { testPki } from "../src/testing/pki.ts";

const pki = await testPki();

/** runScu's C-ECHO against a hostile SCP, and which of `checks` held. */
async function echoAgainst(answer: HostileAnswer, checks: Record<string, unknown>) {
  const scp = await startHostileDimseScp(pki, { answer });
  try {
    // Under ARTIM (about 5 s): a wait that runs to the deadline shows as a timeout.
    const outcome = await runScu({
      host: "127.0.0.1",
      port: scp.port,
      callingAe: "DICOMTLS",
      calledAe: "HOSTILE",
      policy: { method: "none" },
      timeoutMs: 1500,
    });
    const location = { file: "s.yaml", line: 1, column: 1 };
    const expect: Expectation = {
      checks: Object.entries(checks).map(([path, expected]) => ({ path, expected, location })),
      fails: false,
    };
    const held = Object.fromEntries(
      evaluateExpectations(expect, outcome).map((a) => [a.path, a.ok ? "held" : a.actual]),
    );
    return { outcome, held };
  } finally {
    await scp.close();
  }
}

Deno.test("our A-ABORT on an A-RELEASE-RP that answered our C-ECHO-RQ is ours: dimse.status aborted does not hold", async () => {
  const { outcome, held } = await echoAgainst("release-rp", {
    "dimse.status": "aborted",
    association: "aborted",
    echo: "failure",
  });
  assert.deepEqual(outcome.association?.abort, {
    source: "service-provider",
    reason: "unexpected-pdu",
    by: "us",
  });
  assert.deepEqual(held, {
    "dimse.status": "aborted by us",
    association: "aborted by us",
    echo: "held",
  });
});

Deno.test("the peer's A-ABORT for our A-RELEASE-RQ is the peer's: association aborted and its reason hold, and the echo's success stands", async () => {
  const { outcome, held } = await echoAgainst("abort-at-release", {
    association: "aborted",
    reason: "reason-not-specified",
    echo: "success",
  });
  assert.equal(outcome.association?.released, false);
  assert.equal(outcome.association?.abort?.by, "peer");
  assert.deepEqual(held, { association: "held", reason: "held", echo: "held" });
});

Deno.test("our A-ABORT on a PDU type PS3.8 does not have, for our A-RELEASE-RQ, is no timeout and no giving up", async () => {
  const { outcome, held } = await echoAgainst("garbage-at-release", { association: "aborted" });
  assert.deepEqual(outcome.association?.abort, {
    source: "service-provider",
    reason: "unrecognized-pdu",
    by: "us",
  });
  assert.match(outcome.association?.error ?? "", /^A-RELEASE failed: Cannot decode PDU: type 0x09/);
  assert.deepEqual(held, { association: "aborted by us" });
});
