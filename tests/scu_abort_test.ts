/**
 * When our SCU gives up on an established association (its deadline ran
 * out waiting for a response, or for the peer to read), it tells the peer
 * with an A-ABORT (PS3.8 7.3, AA-1: source service-user, as DCMTK's
 * echoscu and storescu do) before it closes, the peer's side sees it, the
 * Outcome lists it and says the abort was ours, and a timeout stays a
 * timeout. A peer that no longer reads cannot take the A-ABORT: we close
 * anyway, a few milliseconds past the deadline at most.
 */
import assert from "node:assert/strict";
import type { Outcome } from "../src/outcome/mod.ts";
import { readPart10 } from "../src/part10/mod.ts";
import { runScu, type ScuOperation } from "../src/scu/mod.ts";
import { startMuteScp } from "../src/testing/hostile_peers.ts";
import { testPki } from "../src/testing/pki.ts";
import { waitUntil } from "../src/testing/wait.ts";
import { decodePdu } from "../src/ul/mod.ts";

const pki = await testPki();
const DEADLINE_MS = 1500;

function scu(port: number, operations?: ScuOperation[]): Promise<Outcome> {
  return runScu({
    host: "127.0.0.1",
    port,
    callingAe: "DICOMTLS",
    calledAe: "MUTE",
    policy: { method: "none" },
    timeoutMs: DEADLINE_MS,
    ...(operations ? { operations } : {}),
  });
}

const sentAborts = (o: Outcome) =>
  o.pdus.filter((p) => p.direction === "sent" && p.type === "A-ABORT");

Deno.test("runScu whose C-ECHO is never answered sends an A-ABORT (service-user) that the SCP reads, and the outcome stays a timeout, aborted by us", async () => {
  const scp = await startMuteScp(pki, { mute: "at-request" });
  try {
    const outcome = await scu(scp.port);
    assert.equal(outcome.dimse?.status, "timeout");
    assert.equal(outcome.dimse?.operations[0].category, "timeout");
    assert.equal(outcome.association?.result, "accepted");
    assert.deepEqual(outcome.association?.abort, {
      source: "service-user",
      reason: "reason-not-specified",
      by: "us",
    });
    assert.equal(sentAborts(outcome).length, 1);
    assert.equal(outcome.ok, false);
    await waitUntil(() => scp.afterRequest().length > 0, 5000);
    const received = scp.afterRequest().map((b) => decodePdu(b));
    assert.deepEqual(received, [{
      type: "A-ABORT",
      source: "service-user",
      reason: "reason-not-specified",
    }]);
  } finally {
    await scp.close();
  }
});

Deno.test("runScu storing to an SCP that stopped reading gives up at its deadline and closes without waiting for its A-ABORT to go out", async () => {
  const scp = await startMuteScp(pki, { mute: "after-association" });
  try {
    const file = readPart10(
      await Deno.readFile(new URL("../fixtures/ae/secondary_capture.dcm", import.meta.url)),
    );
    // Far more than the socket buffers hold: our writes back up once it stops reading.
    const big = { ...file, dataset: new Uint8Array(64 << 20) };
    const began = performance.now();
    const outcome = await scu(scp.port, [{ command: "C-STORE", file: big }]);
    const overrunMs = performance.now() - began - DEADLINE_MS;
    assert.equal(outcome.dimse?.status, "timeout");
    assert.equal(outcome.association?.abort?.by, "us");
    assert.equal(sentAborts(outcome).length, 1);
    // The bound measured is a few ms (docs/echo.md); this only catches a wait for the peer.
    assert.ok(overrunMs < 500, `${Math.round(overrunMs)} ms past the ${DEADLINE_MS} ms deadline`);
    assert.match(outcome.association!.error!, /the peer was not reading/);
  } finally {
    await scp.close();
  }
});
