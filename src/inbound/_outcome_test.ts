import assert from "node:assert/strict";
import { buildOutcome } from "./_outcome.ts";

Deno.test("buildOutcome() of no connection names an IPv6 listening address in brackets", () => {
  const { problem } = buildOutcome({
    startedAt: "2026-01-01T00:00:00Z",
    host: "::1",
    port: 2762,
    records: [],
    summary: [],
    waited: { ms: 1000, until: "timeout" },
  });
  assert.equal(problem?.kind, "no-connection");
  assert.match(problem.message, /^the SUT never connected to \[::1\]:2762: we waited 1\.0 s/);
});
