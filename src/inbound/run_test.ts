// runInbound() with our own SCU as the SUT, in-process on loopback: the
// operator of a manual trigger is this test, connecting once we listen.
import assert from "node:assert/strict";
import { runScu, type ScuOptions } from "../scu/mod.ts";
import { loadTrustAnchors, resolveSecurityContext } from "../security/mod.ts";
import { loadCredentials } from "../tls/mod.ts";
import { pkiFile, testPki } from "../testing/pki.ts";
import { type InboundResult, runInbound } from "./run.ts";
import type { HarnessAddress } from "./trigger.ts";

const pki = await testPki("inbound");
const file = (name: string, kind: "crt" | "key" | "chain") => pkiFile(pki, name, kind);
const security = resolveSecurityContext([{
  certificate: { kind: "pem", cert: file("server", "chain"), key: file("server", "key") },
  verify: "chain",
  ca: [file("root", "crt")],
}], { role: "acceptor" });
const anchors = (await loadTrustAnchors([file("root", "crt")])).der;

/** One inbound case whose SUT is runScu with `scu`, started as soon as we listen. */
async function inbound(scu: Partial<ScuOptions>, timeoutMs = 5000): Promise<InboundResult> {
  let sut: Promise<unknown> = Promise.resolve();
  const r = await runInbound({
    ae: "HARNESS",
    acceptCalling: ["SCU"],
    security,
    timeoutMs,
    trigger: { kind: "manual" },
    onListening: (a: HarnessAddress) => {
      sut = runScu({
        host: a.host,
        port: a.port,
        callingAe: "SCU",
        calledAe: a.ae,
        policy: { method: "chain", anchors },
        timeoutMs: 3000,
        ...scu,
      });
    },
  });
  await sut;
  return r;
}

const client = await loadCredentials({ cert: file("client", "crt"), key: file("client", "key") });

Deno.test("runInbound() records a whole conversation: ClientHello, client certificate, A-ASSOCIATE-RQ, C-ECHO, release", async () => {
  const r = await inbound({ credentials: client });
  const o = r.outcome;
  assert.equal(r.problem, undefined);
  assert.equal(r.sanity.ok, true);
  assert.equal(o.direction, "inbound");
  assert.equal(o.ok, true);
  assert.equal(o.stage, "release");
  assert.deepEqual(o.clientHello?.offeredVersions, ["TLSv1.3", "TLSv1.2"]);
  assert.equal(o.clientCertificate, "presented");
  assert.equal(o.tls?.verification?.ok, true);
  assert.equal(o.associationRequest?.callingAe, "SCU");
  assert.equal(o.association?.result, "accepted");
  assert.equal(o.association?.released, true);
  assert.deepEqual(o.dimse?.requests?.map((q) => [q.command, q.answer.statusName]), [
    ["C-ECHO", "Success"],
  ]);
  assert.deepEqual(o.timeline.map((t) => t.stage), [
    "tcp",
    "tls",
    "association",
    "dimse",
    "release",
  ]);
  assert.equal(o.connections?.length, 1);
  assert.equal(o.trigger?.kind, "manual");
});

Deno.test("runInbound() refuses a client without certificate by our chain verification, with the reason", async () => {
  const o = (await inbound({})).outcome;
  assert.equal(o.clientCertificate, "none");
  assert.equal(o.tls?.status, "refused-by-us");
  assert.deepEqual(o.tls?.verification?.reasons, ["no-certificate"]);
  assert.equal(o.association?.result, "not-requested");
});

Deno.test("runInbound() records plain DICOM to our TLS port as not-tls, with its AE titles", async () => {
  const o = (await inbound({ plain: true })).outcome;
  assert.equal(o.tls?.status, "not-tls");
  assert.equal(o.tls?.firstBytes?.pdu?.type, "A-ASSOCIATE-RQ");
  assert.equal(o.association?.callingAe, "SCU");
  assert.equal(o.association?.calledAe, "HARNESS");
});

Deno.test("runInbound() rejects a wrong called AE title by the reference AE's policy and records the request", async () => {
  const o = (await inbound({ credentials: client, calledAe: "SOMEONE" })).outcome;
  assert.equal(o.association?.result, "rejected");
  assert.equal(o.association?.reject?.reason, "called-ae-title-not-recognized");
  assert.equal(o.associationRequest?.calledAe, "SOMEONE");
  assert.equal(o.associationRequest?.presentationContexts[0].result, undefined);
});

Deno.test("runInbound() with a SUT that never connects ends at its timeout with a problem naming where we listened", async () => {
  const began = performance.now();
  const r = await runInbound({
    ae: "HARNESS",
    acceptCalling: [],
    security,
    timeoutMs: 400,
    trigger: { kind: "manual" },
  });
  assert.equal(r.problem?.kind, "no-connection");
  assert.match(
    r.problem!.message,
    /^the SUT never connected to 127\.0\.0\.1:\d+: we waited 0\.\d s for its TCP connection, until our timeout \(trigger: manual: no one connected in time\)$/,
  );
  assert.equal(r.outcome.stage, "tcp");
  assert.ok(performance.now() - began < 1500);
});

Deno.test("runInbound() stops at once when the run is interrupted", async () => {
  const stop = new AbortController();
  const r = await runInbound({
    ae: "HARNESS",
    acceptCalling: [],
    security,
    timeoutMs: 60_000,
    trigger: { kind: "manual" },
    signal: stop.signal,
    onListening: () => setTimeout(() => stop.abort(), 50),
  });
  assert.equal(r.problem?.kind, "interrupted");
});
