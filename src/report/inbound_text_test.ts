import assert from "node:assert/strict";
import type { Outcome } from "../outcome/mod.ts";
import { fullRun } from "../testing/full_run.ts";
import { renderInboundOutcome } from "./inbound_text.ts";

const exemplar = fullRun().suites[0].cases[0].outcome as Outcome;
const inbound: Outcome = { ...exemplar, trigger: { ...exemplar.trigger!, error: undefined } };

Deno.test("renderInboundOutcome() shows where we listened, the trigger, the hello, the request and our answers", () => {
  const text = renderInboundOutcome(inbound);
  assert.match(text, /^listen {7}127\.0\.0\.1:11112$/m);
  assert.match(text, /^trigger {6}echoscu .*: exited 0 \(150 ms\)$/m);
  assert.match(text, /^connection {3}from 127\.0\.0\.1:53122 \(1 connection\)$/m);
  assert.match(text, /^ClientHello {2}/m);
  assert.match(text, /^A-ASSOC-RQ {3}ECHOSCU -> HARNESS, 1 presentation context, max PDU 16384/m);
  assert.match(text, /^ {15}user identity username-and-passcode "technician" with passcode$/m);
  assert.match(text, /^C-STORE {6}request 1\.2\.3\.4 -> Refused: Out of Resources \(0xA700\)$/m);
  assert.match(text, /^ {15}cause: no common TLS version/m);
});

Deno.test("renderInboundOutcome() shows an implementation version name past PS3.7's 16 characters by its start and length", () => {
  const long: Outcome = {
    ...inbound,
    associationRequest: {
      ...inbound.associationRequest!,
      implementationClassUid: "1.2.3",
      implementationVersionName: "V".repeat(65_000),
    },
  };
  const line = renderInboundOutcome(long).split("\n").find((l) => l.startsWith("A-ASSOC-RQ"))!;
  assert.ok(
    line.endsWith(`, 1.2.3 ${"V".repeat(16)}... (65000 characters; PS3.7 allows 16)`),
    line,
  );
});

Deno.test("renderInboundOutcome() makes what the SUT controls printable", () => {
  const hostile: Outcome = {
    ...inbound,
    associationRequest: { ...inbound.associationRequest!, callingAe: "EVIL\x1b[2J\u202e" },
    trigger: { ...inbound.trigger!, description: "x\r\ny" },
  };
  const text = renderInboundOutcome(hostile);
  for (const raw of ["\x1b", "\r", "\u202e"]) assert.ok(!text.includes(raw), JSON.stringify(raw));
  assert.match(text, /EVIL\\x1B\[2J\\u\{202E\}/);
});

Deno.test("renderInboundOutcome() of a case the SUT never came to says so", () => {
  const text = renderInboundOutcome({
    ok: false,
    stage: "tcp",
    target: { host: "127.0.0.1", port: 40123 },
    startedAt: "2026-01-01T00:00:00Z",
    durationMs: 0,
    timeline: [],
    tcp: { status: "timeout", error: "the SUT never connected to 127.0.0.1:40123" },
    pdus: [],
    direction: "inbound",
  });
  assert.match(text, /^connection {3}the SUT never connected to 127\.0\.0\.1:40123$/m);
  assert.match(text, /^result {7}FAILED at tcp in 0 ms$/m);
});

Deno.test("renderInboundOutcome() writes an IPv6 listening address in brackets, as it is typed", () => {
  const text = renderInboundOutcome({ ...inbound, target: { host: "::1", port: 2762 } });
  assert.match(text, /^listen {7}\[::1\]:2762$/m);
});

Deno.test("renderInboundOutcome() says whose A-ABORT ended the association: ours on giving up, or the SUT's", () => {
  const ended = (abort: NonNullable<Outcome["association"]>["abort"], result = "accepted") =>
    renderInboundOutcome({
      ...inbound,
      association: {
        callingAe: "ECHOSCU",
        calledAe: "HARNESS",
        result: result as "accepted",
        abort,
      },
    });
  const abort = { source: "service-user", reason: "reason-not-specified" };
  assert.match(
    ended({ ...abort, by: "us" }),
    /^association {2}accepted, aborted by us: service-user, reason-not-specified$/m,
  );
  assert.match(
    ended({ ...abort, by: "peer" }, "aborted"),
    /^association {2}aborted by the SUT: service-user, reason-not-specified$/m,
  );
});
