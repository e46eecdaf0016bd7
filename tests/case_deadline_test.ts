/**
 * A conversation's deadline bounds every wait of it, the upper layer's
 * included (ARTIM, about 5 s, the peer's close, the peer reading what we
 * send): against real misbehaving peers with deadlines under ARTIM, each
 * ends by its deadline (generous slack, no tight timing) and says what we
 * waited for; and a verdict does not change with a deadline under ARTIM.
 * Giving up on an established association, we tell the peer with an
 * A-ABORT (PS3.8 7.3, AA-1: service-user, as DCMTK's echoscu and storescu
 * do) and close without waiting for a peer that does not read; as the SCP of
 * an inbound case too, when the SUT neither requests nor releases.
 */
import assert from "node:assert/strict";
import { runInbound } from "../src/inbound/mod.ts";
import type { Outcome } from "../src/outcome/mod.ts";
import { readPart10 } from "../src/part10/mod.ts";
import { runScu, type ScuOperation } from "../src/scu/mod.ts";
import { resolveSecurityContext } from "../src/security/mod.ts";
import { startMuteScp } from "../src/testing/hostile_peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { type RawAssociation, rawAssociation, readPdu } from "../src/testing/raw_association.ts";
import { waitUntil } from "../src/testing/wait.ts";
import { decodePdu } from "../src/ul/mod.ts";

const pki = await testPki();
const DEADLINE_MS = 2000;
// Far above the deadline plus slack, far below "never": a hang shows as this.
const NEVER_MS = 20_000;
// The reference AE of the inbound tests: the PKI's server certificate, the SUT's unchecked.
const security = resolveSecurityContext([{
  certificate: {
    kind: "pem",
    cert: pkiFile(pki, "server", "chain"),
    key: pkiFile(pki, "server", "key"),
  },
  verify: "none",
}], { role: "acceptor" });

async function bounded<T>(work: Promise<T>): Promise<{ value?: T; tookMs: number }> {
  const began = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const never = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), NEVER_MS)));
  const value = await Promise.race([work, never]);
  clearTimeout(timer);
  return { value, tookMs: performance.now() - began };
}

/** runScu to a mute SCP with a deadline of DEADLINE_MS; a C-ECHO unless `operations`. */
function echoOrStore(port: number, operations?: ScuOperation[]): Promise<Outcome> {
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

// Far more than the socket buffers hold: our writes back up once the peer stops reading.
async function bigStore() {
  const file = readPart10(
    await Deno.readFile(new URL("../fixtures/ae/secondary_capture.dcm", import.meta.url)),
  );
  return { ...file, dataset: new Uint8Array(64 << 20) };
}

Deno.test("runScu storing to an SCP that stopped reading ends by its 2 s deadline, a timeout waiting for it to read", async () => {
  const scp = await startMuteScp(pki, { mute: "after-association" });
  try {
    const big = await bigStore();
    const { value: outcome, tookMs } = await bounded(
      echoOrStore(scp.port, [{ command: "C-STORE", file: big }]),
    );
    assert.ok(outcome, `runScu had not returned after ${NEVER_MS} ms`);
    assert.ok(
      tookMs < 2 * DEADLINE_MS,
      `${Math.round(tookMs)} ms for a ${DEADLINE_MS} ms deadline`,
    );
    assert.equal(outcome.dimse?.status, "timeout");
    assert.match(
      outcome.dimse!.operations[0].statusName!,
      /^Timed out after \d+ ms in Sta6 waiting for the peer to read our P-DATA-TF/,
    );
  } finally {
    await scp.close();
  }
});

Deno.test("runScu against an SCP mute at release ends by its 2 s deadline, our timeout waiting for the A-RELEASE-RP", async () => {
  const scp = await startMuteScp(pki, { mute: "at-release" });
  try {
    const { value: outcome, tookMs } = await bounded(echoOrStore(scp.port));
    assert.ok(outcome, `runScu had not returned after ${NEVER_MS} ms`);
    assert.equal(scp.releaseRequests(), 1);
    assert.ok(
      tookMs < 2 * DEADLINE_MS,
      `${Math.round(tookMs)} ms for a ${DEADLINE_MS} ms deadline`,
    );
    assert.equal(outcome.association?.released, false);
    assert.match(
      outcome.association!.error!,
      /waiting for A-RELEASE-RP: the conversation's time limit \(2 s\) ran out; raise --timeout, or the case's timeout; we sent an A-ABORT and closed$/,
    );
    assert.equal(outcome.association?.abort?.by, "us");
  } finally {
    await scp.close();
  }
});

/** runInbound (manual trigger, the 2 s deadline) whose SUT associates, then does `then`. */
async function inboundCase<T>(then: (raw: RawAssociation) => Promise<T>) {
  let sut: Promise<T | undefined> = Promise.resolve(undefined);
  let close = () => {};
  const { value: r, tookMs } = await bounded(runInbound({
    ae: "REFAE",
    acceptCalling: [],
    security,
    timeoutMs: DEADLINE_MS,
    trigger: { kind: "manual" },
    onListening: (a) => {
      sut = (async () => {
        const raw = await rawAssociation({ pki, port: a.port });
        close = raw.close;
        return await then(raw);
      })();
    },
  }));
  const got = await sut;
  close();
  assert.ok(r, `runInbound had not returned after ${NEVER_MS} ms`);
  return { r, tookMs, got };
}

Deno.test("an inbound SUT that never closes after our A-RELEASE-RP: ARTIM ends by the 2 s deadline, and the release it completed stands", async () => {
  const { r, tookMs } = await inboundCase(async (raw) => {
    raw.socket.resume();
    // A-RELEASE-RQ, then silence: it never closes after our A-RELEASE-RP.
    await raw.write(new Uint8Array([0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0]));
  });
  assert.ok(tookMs < 2 * DEADLINE_MS, `${Math.round(tookMs)} ms for a ${DEADLINE_MS} ms deadline`);
  assert.equal(r.problem, undefined, String(r.problem?.message));
  // As with a deadline longer than ARTIM (5 s): the release completed on the wire.
  assert.equal(r.outcome.association?.released, true, String(r.outcome.association?.error));
  assert.equal(r.outcome.ok, true);
});

const sentAborts = (o: Outcome) =>
  o.pdus.filter((p) => p.direction === "sent" && p.type === "A-ABORT");

const ABORT = { source: "service-user", reason: "reason-not-specified" } as const;

// Our A-ABORT, in the outcome (ours, once, in pdus) and as the mute SCP read it.
async function assertOurAbort(outcome: Outcome, scp: { afterRequest(): Uint8Array[] }) {
  assert.deepEqual(outcome.association?.abort, { ...ABORT, by: "us" });
  assert.equal(sentAborts(outcome).length, 1);
  assert.equal(outcome.ok, false);
  await waitUntil(() => scp.afterRequest().length > 0, 5000);
  assert.deepEqual(scp.afterRequest().map((b) => decodePdu(b)), [{ type: "A-ABORT", ...ABORT }]);
}

Deno.test("runScu whose C-ECHO is never answered sends an A-ABORT (service-user) that the SCP reads, and the outcome stays a timeout, aborted by us", async () => {
  const scp = await startMuteScp(pki, { mute: "at-request" });
  try {
    const outcome = await echoOrStore(scp.port);
    assert.equal(outcome.dimse?.status, "timeout");
    assert.equal(outcome.dimse?.operations[0].category, "timeout");
    assert.equal(outcome.association?.result, "accepted");
    await assertOurAbort(outcome, scp);
  } finally {
    await scp.close();
  }
});

Deno.test("runScu storing to an SCP that stopped reading gives up at its deadline and closes without waiting for its A-ABORT to go out", async () => {
  const scp = await startMuteScp(pki, { mute: "after-association" });
  try {
    const big = await bigStore();
    const began = performance.now();
    const outcome = await echoOrStore(scp.port, [{ command: "C-STORE", file: big }]);
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

Deno.test("runScu whose A-ASSOCIATE-RQ is never answered sends an A-ABORT that the SCP reads, and the outcome stays a timeout, aborted by us", async () => {
  const scp = await startMuteScp(pki, { mute: "at-association" });
  try {
    const outcome = await echoOrStore(scp.port);
    assert.equal(outcome.stage, "association");
    assert.equal(outcome.association?.result, "timeout");
    assert.match(outcome.association!.error!, /A-ASSOCIATE-AC.*; we sent an A-ABORT and closed$/);
    await assertOurAbort(outcome, scp);
  } finally {
    await scp.close();
  }
});

Deno.test("an inbound SUT that never releases gets our A-ABORT at the deadline, recorded as ours", async () => {
  // Associated, then silent: what it reads next is how the reference AE gave up.
  const { r, got } = await inboundCase((raw) =>
    readPdu(raw.socket, NEVER_MS).catch((e: Error) => e.message)
  );
  assert.equal(r.outcome.association?.result, "accepted");
  assert.equal(r.outcome.association?.released, false);
  assert.deepEqual(r.outcome.association?.abort, { ...ABORT, by: "us" });
  assert.ok(got !== undefined);
  assert.deepEqual(typeof got === "string" ? got : decodePdu(got), { type: "A-ABORT", ...ABORT });
});
