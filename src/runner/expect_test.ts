import assert from "node:assert/strict";
import type { Outcome } from "../outcome/mod.ts";
import type { ProfileVerdict } from "../profiles/mod.ts";
import type { Expectation } from "../scenario/mod.ts";
import { expectedText } from "../report/_evidence.ts";
import { caseMessage, caseStatus, evaluateExpectations } from "./expect.ts";

const at = { file: "s.yaml", line: 1, column: 1 };
const expect = (checks: Record<string, unknown>, fails = false): Expectation => ({
  checks: Object.entries(checks).map(([path, expected]) => ({ path, expected, location: at })),
  fails,
});
const base = {
  target: { host: "127.0.0.1", port: 11112 },
  startedAt: "2026-01-01T00:00:00Z",
  timeline: [],
  tcp: { status: "connected" as const },
  pdus: [],
};
const echoed: Outcome = {
  ...base,
  ok: true,
  stage: "release",
  durationMs: 40,
  tls: {
    status: "established",
    protocol: "TLSv1.3",
    cipher: "TLS_AES_256_GCM_SHA384",
    peer: {
      subject: "CN=localhost, O=Example Hospital",
      issuer: "CN=intermediate",
      serial: "01",
      notBefore: "2026-01-01T00:00:00Z",
      notAfter: "2027-01-01T00:00:00Z",
      key: "EC P-256",
      signatureAlgorithm: "ecdsa-with-SHA256",
      san: ["DNS:localhost"],
      sha1: "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678",
      sha256: "00".repeat(32),
      chain: [],
    },
    verification: { method: "chain", ok: true, reasons: [], details: [] },
  },
  association: { result: "accepted", released: true },
  dimse: {
    status: "success",
    operations: [{
      command: "C-ECHO",
      status: 0,
      statusName: "Success",
      category: "success",
      durationMs: 2,
    }],
  },
};
const refused: Outcome = {
  ...base,
  ok: false,
  stage: "tls",
  durationMs: 12,
  tls: { status: "refused-by-peer", alert: { name: "unknown_ca", code: 48 } },
};
const rejected: Outcome = {
  ...base,
  ok: false,
  stage: "association",
  durationMs: 20,
  tls: { status: "established", protocol: "TLSv1.2" },
  association: {
    result: "rejected",
    reject: {
      result: "rejected-permanent",
      source: "service-user",
      reason: "calling-ae-title-not-recognized",
    },
  },
};

Deno.test("evaluateExpectations() passes a successful echo with every detail expected", () => {
  const results = evaluateExpectations(
    expect({
      echo: "success",
      "tls.protocol": ["TLSv1.2", "TLSv1.3"],
      "tls.cipher": "tls_aes_256_gcm_sha384",
      "verification.ok": true,
      association: "accepted",
      "dimse.status": 0,
      stage: "release",
      "peer.subject": "cn=localhost",
      "peer.sha1": "a1:b2:c3:d4:e5:f6:07:18:29:3a:4b:5c:6d:7e:8f:90:12:34:56:78",
      "duration.max": "2s",
    }),
    echoed,
  );
  assert.deepEqual(results.filter((r) => !r.ok), []);
  assert.equal(results[1].actual, "TLSv1.3");
});

Deno.test("evaluateExpectations() reports the actual alert when another was expected", () => {
  const [alert, echo, association] = evaluateExpectations(
    expect({
      alert: ["certificate_expired", "bad_certificate"],
      echo: "failure",
      association: "not-requested",
    }),
    refused,
  );
  assert.deepEqual(alert, {
    path: "alert",
    expected: ["certificate_expired", "bad_certificate"],
    actual: "unknown_ca",
    ok: false,
    location: at,
  });
  assert.equal(echo.ok, true, "a refused connection is an echo failure");
  assert.equal(association.ok, true, "an association never requested counts as not-requested");
});

Deno.test("evaluateExpectations() matches PS3.8 reasons case-insensitively with result and source", () => {
  const results = evaluateExpectations(
    expect({
      association: "rejected",
      reason: "Calling-AE-Title-Not-Recognized",
      result: "rejected-permanent",
      source: "service-user",
    }),
    rejected,
  );
  assert.deepEqual(results.map((r) => r.ok), [true, true, true, true]);
});

Deno.test("evaluateExpectations() takes the reason and source of the peer's A-ABORT, never of ours", () => {
  const aborted = (by: "peer" | "us"): Outcome => ({
    ...rejected,
    association: {
      result: "aborted",
      abort: { source: "service-user", reason: "reason-not-specified", by },
    },
  });
  const checks = expect({ source: "service-user", reason: "reason-not-specified" });
  assert.deepEqual(evaluateExpectations(checks, aborted("peer")).map((r) => r.ok), [true, true]);
  // Ours, on the peer's protocol violation or giving up: the peer said nothing of the kind.
  const ours = evaluateExpectations(checks, aborted("us"));
  assert.deepEqual(ours.map((r) => [r.ok, r.actual]), [[false, null], [false, null]]);
});

Deno.test("evaluateExpectations() gives null as the actual value of a stage never reached", () => {
  const [protocol, status] = evaluateExpectations(
    expect({ "tls.protocol": "TLSv1.3", "dimse.status": "success" }),
    refused,
  );
  assert.equal(protocol.actual, null);
  assert.equal(protocol.ok, false);
  assert.equal(status.actual, null);
});

Deno.test("evaluateExpectations() matches DIMSE status by code, hex string, category or name", () => {
  for (const status of [0, "0x0000", "success", "Success", [0xa700, 0]]) {
    assert.equal(
      evaluateExpectations(expect({ "dimse.status": status }), echoed)[0].ok,
      true,
      String(status),
    );
  }
  assert.equal(evaluateExpectations(expect({ "dimse.status": 0xa700 }), echoed)[0].ok, false);
});

Deno.test("evaluateExpectations() checks our verifier's reasons as any of the listed ones", () => {
  const refusedByUs: Outcome = {
    ...refused,
    tls: {
      status: "refused-by-us",
      verification: {
        method: "chain",
        ok: false,
        reasons: ["expired", "unknown-issuer"],
        details: [],
      },
    },
  };
  const [ok, reasons, other] = evaluateExpectations(
    expect({
      "verification.ok": false,
      "verification.reasons": ["revoked", "expired"],
      "tls.status": "refused-by-us",
    }),
    refusedByUs,
  );
  assert.equal(ok.ok && reasons.ok && other.ok, true);
  assert.equal(
    evaluateExpectations(expect({ "verification.reasons": "revoked" }), refusedByUs)[0].ok,
    false,
  );
});

Deno.test("evaluateExpectations() bounds the duration from above and below", () => {
  const [max, min] = evaluateExpectations(
    expect({ "duration.max": "10ms", "duration.min": 5 }),
    echoed,
  );
  assert.deepEqual([max.ok, max.actual, min.ok], [false, "40ms", true]);
});

Deno.test("caseStatus() follows the xfail rule", () => {
  const pass = [{ path: "echo", expected: "success", actual: "success", ok: true }];
  const fail = [{ path: "echo", expected: "success", actual: "failure", ok: false }];
  assert.equal(caseStatus(pass, { fails: false }), "passed");
  assert.equal(caseStatus(fail, { fails: false }), "failed");
  assert.equal(caseStatus(fail, { fails: true }), "expected-failure");
  assert.equal(caseStatus(pass, { fails: true }), "failed");
});

Deno.test("caseMessage() says what was expected, what came, and where the conversation ended", () => {
  const assertions = evaluateExpectations(
    expect({ echo: "success", alert: "certificate_expired" }),
    refused,
  );
  assert.equal(
    caseMessage(assertions, { fails: false, outcome: refused }),
    "expected echo success, got failure; expected alert certificate_expired, got unknown_ca " +
      "(ended at tls: refused-by-peer, alert unknown_ca)",
  );
  assert.equal(
    caseMessage(evaluateExpectations(expect({ echo: "success" }), echoed), { fails: true }),
    "marked fails: true, but every expectation held: remove the mark",
  );
});

Deno.test("caseMessage() shows a DIMSE status code in hex and an empty list as none", () => {
  const assertions = evaluateExpectations(
    expect({ "dimse.status": [0xa700, "warning"], "verification.reasons": "expired" }),
    echoed,
  );
  assert.equal(
    caseMessage(assertions, { fails: false, outcome: echoed }),
    "expected dimse.status 0xA700 or warning, got 0x0000 Success; " +
      "expected verification.reasons expired, got none (ended at release: C-ECHO Success)",
  );
  // The JUnit and HTML reports say the same.
  assert.equal(expectedText([0xa700, 0], "dimse.status"), "0xA700 or 0x0000");
  assert.equal(expectedText(42752, "tls.keyBits"), "42752");
});

Deno.test("an undetermined profile verdict makes the case an error, never a failure or a pass", () => {
  const verdict = (name: string, v: ProfileVerdict["verdict"]): ProfileVerdict => ({
    profile: name,
    title: name,
    section: "PS3.15",
    role: "server",
    verdict: v,
    violations: v === "non-compliant" ? ["accepts TLS 1.0 (forbidden by PS3.15 B.10)"] : [],
    warnings: [],
    requirements: v === "undetermined"
      ? [{
        id: "no-tls10",
        text: "no TLS 1.0",
        level: "shall",
        cite: "PS3.15 B.10",
        status: "unknown",
        findings: ["whether it accepts TLS 1.0 is not known"],
      }]
      : [],
  });
  const judge = (fails: boolean, ...profiles: ProfileVerdict[]) => {
    const e = expect({ profile: profiles.map((p) => p.profile) }, fails);
    const assertions = evaluateExpectations(e, echoed, { profiles });
    return {
      status: caseStatus(assertions, { fails }),
      message: caseMessage(assertions, { fails }),
    };
  };
  const undetermined = judge(false, verdict("bcp195-nd", "undetermined"));
  assert.equal(undetermined.status, "error");
  assert.equal(
    undetermined.message,
    "cannot judge profile bcp195-nd: bcp195-nd: undetermined (whether it accepts TLS 1.0 is not known)",
  );
  assert.equal(judge(true, verdict("bcp195-nd", "undetermined")).status, "error");
  // A requirement that failed for certain still fails the case.
  const both = judge(
    false,
    verdict("bcp195-nd", "undetermined"),
    verdict("bcp195", "non-compliant"),
  );
  assert.equal(both.status, "failed");
  assert.equal(judge(false, verdict("bcp195", "compliant")).status, "passed");
});

Deno.test("caseMessage() says a release that never completed, and whose A-ABORT ended it", () => {
  const ended = (by: "us" | "peer"): Outcome => ({
    ...echoed,
    ok: false,
    association: {
      result: "accepted",
      released: false,
      abort: { source: "service-user", reason: "reason-not-specified", by },
      error: "A-RELEASE failed: Timed out waiting for A-RELEASE-RP; we sent an A-ABORT and closed",
    },
  });
  const assertions = evaluateExpectations(expect({ association: "aborted" }), ended("us"));
  assert.equal(
    caseMessage(assertions, { fails: false, outcome: ended("us") }),
    "expected association aborted, got accepted " +
      "(ended at release: C-ECHO Success, A-RELEASE not completed, aborted by us)",
  );
  assert.match(
    caseMessage(assertions, { fails: false, outcome: ended("peer") }) ?? "",
    /A-RELEASE not completed, aborted by the peer\)$/,
  );
});
