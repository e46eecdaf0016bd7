import assert from "node:assert/strict";
import type { Case } from "../scenario/mod.ts";
import { TargetWatch } from "./target_watch.ts";

const cases = ["one", "two", "three"].map((name) => ({ id: name, name }) as unknown as Case);

function counted(ok: boolean) {
  const check = () => {
    check.calls++;
    return Promise.resolve({ ok, message: ok ? "fine" : "the trusted association did not" });
  };
  check.calls = 0;
  return check;
}

Deno.test("TargetWatch checks an end after the handshake with the trusted association", async () => {
  const tls = counted(true);
  const trusted = counted(false);
  const watch = new TargetWatch({ cases, recheck: tls, trusted: () => trusted });
  const message = await watch.recheck(cases[1], "closed", { afterHandshake: true });
  assert.equal(
    message,
    "the target stopped completing the trusted association at case 2 (two): " +
      "the trusted association did not; this case: closed",
  );
  assert.equal(watch.gone?.atCase, 2);
  assert.deepEqual([tls.calls, trusted.calls], [0, 1]);
});

Deno.test("TargetWatch lets a refusal stand while the trusted association completes", async () => {
  const trusted = counted(true);
  const watch = new TargetWatch({ cases, recheck: counted(true), trusted: () => trusted });
  const ends = await Promise.all(
    cases.map((c) => watch.recheck(c, "closed", { afterHandshake: true })),
  );
  assert.deepEqual(ends, [undefined, undefined, undefined]);
  assert.equal(watch.gone, undefined);
  assert.equal(trusted.calls, 1, "one check for the cases that ended together");
});

Deno.test("TargetWatch makes an end after the handshake an error when no case is trusted", async () => {
  const watch = new TargetWatch({ cases, recheck: counted(true) });
  const message = await watch.recheck(cases[0], "closed", { afterHandshake: true });
  assert.match(
    message ?? "",
    /^the target closed after the TLS handshake without a word \(closed\)/,
  );
  assert.equal(watch.gone, undefined);
  // Before the handshake, the TLS check that passed is enough: the case is judged.
  assert.equal(await watch.recheck(cases[1], "TCP refused"), undefined);
});
