import assert from "node:assert/strict";
import type { Outcome } from "../outcome/mod.ts";
import { whyUnanswered } from "./unanswered.ts";

const base: Outcome = {
  ok: false,
  stage: "tls",
  target: { host: "127.0.0.1", port: 11112 },
  startedAt: "2026-11-30T00:00:00.000Z",
  durationMs: 1,
  timeline: [],
  tcp: { status: "connected" },
  pdus: [],
};

Deno.test("whyUnanswered() says a close without a byte once, in the TLS stage's words", () => {
  const why = whyUnanswered({
    ...base,
    tls: {
      status: "not-tls",
      peerSent: "nothing",
      error: "the peer reset the connection without sending a byte: no TLS server answered",
    },
  });
  assert.equal(why, "the peer reset the connection without sending a byte: no TLS server answered");
});

Deno.test("whyUnanswered() is undefined when the target answered with an alert", () => {
  const why = whyUnanswered({
    ...base,
    tls: { status: "refused-by-peer", alert: { name: "unknown_ca", code: 48 }, error: "x" },
  });
  assert.equal(why, undefined);
});

Deno.test("whyUnanswered() takes our A-ABORT on an A-ASSOCIATE-AC that never came for no answer, and the peer's for one", () => {
  const association = (by: "us" | "peer", result: "timeout" | "aborted") => ({
    ...base,
    tls: { status: "established" as const },
    association: {
      result,
      error: "Timed out after 1000 ms in Sta5 waiting for A-ASSOCIATE-AC",
      abort: { source: "service-user" as const, reason: "reason-not-specified" as const, by },
    },
  });
  assert.match(whyUnanswered(association("us", "timeout")) ?? "", /without a DICOM answer/);
  assert.equal(whyUnanswered(association("peer", "aborted")), undefined);
});

Deno.test("whyUnanswered() takes our A-ABORT on giving up a DIMSE response or the A-RELEASE-RP for no answer, and ours on an invalid response for one", () => {
  const ours = { source: "service-user", reason: "reason-not-specified", by: "us" } as const;
  const ended = (category: "timeout" | "aborted" | "success", released?: boolean): Outcome => ({
    ...base,
    stage: released === undefined ? "dimse" : "release",
    tls: { status: "established" },
    association: {
      result: "accepted",
      abort: ours,
      error: "Timed out; we sent an A-ABORT and closed",
      ...(released === undefined ? {} : { released }),
    },
    dimse: { status: category, operations: [{ command: "C-ECHO", category, durationMs: 1 }] },
  });
  assert.match(whyUnanswered(ended("timeout")) ?? "", /without a DICOM answer/);
  assert.match(whyUnanswered(ended("success", false)) ?? "", /without a DICOM answer/);
  assert.equal(whyUnanswered(ended("aborted")), undefined);
});
