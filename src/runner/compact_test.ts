import assert from "node:assert/strict";
import { DETAILED_CASES, DETAILED_FAILURES, ResultCompactor } from "./compact.ts";
import type { CaseResult, RunResult } from "./result.ts";
import { fullRun } from "../testing/full_run.ts";

// The fully populated case (every field, PDUs, wire records, hellos), as many times as asked.
function results(count: number, status: CaseResult["status"]): CaseResult[] {
  const run = fullRun() as RunResult;
  const full = run.suites.flatMap((s) => s.cases).find((c) => c.outcome?.wire?.records.length)!;
  // As a case ends: nothing trimmed yet.
  delete full.outcome!.trimmed;
  return Array.from({ length: count }, () => ({ ...structuredClone(full), status }));
}

Deno.test("ResultCompactor keeps every detail of the first cases, then drops PDU traces and wire details but keeps their counts", () => {
  const compactor = new ResultCompactor();
  const all = results(DETAILED_CASES + 5, "passed");
  const original = structuredClone(all[0]);
  all.forEach((r) => compactor.compact(r));
  assert.deepEqual(all[0], original);
  assert.equal(all[DETAILED_CASES - 1].outcome!.trimmed, undefined);
  const trimmed = all[DETAILED_CASES].outcome!;
  assert.deepEqual(trimmed.pdus, []);
  assert.deepEqual(trimmed.trimmed, {
    pdus: original.outcome!.pdus.length,
    records: original.outcome!.wire!.records.length,
  });
  const wire = trimmed.wire!;
  assert.deepEqual(wire.records, []);
  assert.equal(
    wire.recordsOmitted,
    original.outcome!.wire!.recordsOmitted + original.outcome!.wire!.records.length,
  );
  assert.equal(wire.clientHello, undefined);
  assert.equal(wire.serverCertificates, undefined);
  assert.equal(wire.sent.firstBytes, original.outcome!.wire!.sent.firstBytes.slice(0, 10));
  // What the verdicts and the summary rest on is untouched.
  assert.deepEqual(trimmed.tls, original.outcome!.tls);
  assert.deepEqual(trimmed.dimse, original.outcome!.dimse);
  assert.deepEqual(all[DETAILED_CASES].assertions, original.assertions);
});

Deno.test("ResultCompactor keeps the first cases that did not pass whole past the first cases", () => {
  const compactor = new ResultCompactor();
  const all = [
    ...results(DETAILED_CASES, "passed"),
    ...results(DETAILED_FAILURES + 1, "failed"),
  ];
  all.forEach((r) => compactor.compact(r));
  assert.equal(all[DETAILED_CASES].outcome!.trimmed, undefined);
  assert.equal(all[DETAILED_CASES + DETAILED_FAILURES - 1].outcome!.trimmed, undefined);
  assert.ok(all[DETAILED_CASES + DETAILED_FAILURES].outcome!.trimmed);
});

Deno.test("ResultCompactor makes equal values of different cases one object", () => {
  const compactor = new ResultCompactor();
  const [a, b] = results(2, "passed");
  compactor.compact(a);
  compactor.compact(b);
  assert.equal(a.outcome!.tls, b.outcome!.tls);
  assert.equal(a.outcome!.association, b.outcome!.association);
  assert.equal(a.settings, b.settings);
  assert.equal(a.assertions, b.assertions);
});
