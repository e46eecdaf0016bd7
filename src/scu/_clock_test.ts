import assert from "node:assert/strict";
import { AssociationTimeout } from "../ul/mod.ts";
import { StageClock } from "./_clock.ts";

const timeout = new AssociationTimeout({ waitingFor: "P-DATA-TF", timeoutMs: 20, state: "Sta6" });

Deno.test("StageClock.failureWords() leaves a timeout as it is while the conversation has time left", () => {
  assert.equal(
    new StageClock(60_000).failureWords(timeout),
    "Timed out after 20 ms in Sta6 waiting for P-DATA-TF",
  );
});

Deno.test("StageClock.failureWords() names the conversation's time limit once it ran out", async () => {
  const clock = new StageClock(5);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(
    clock.failureWords(timeout),
    "Timed out after 20 ms in Sta6 waiting for P-DATA-TF: the conversation's time limit (5 ms) ran out; raise --timeout, or the case's timeout",
  );
  assert.equal(clock.failureWords(new Error("reset")), "reset");
});
