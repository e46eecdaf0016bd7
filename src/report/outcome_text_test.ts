import assert from "node:assert/strict";
import { echoSuccess } from "../testing/sample_outcomes.ts";
import { renderOutcome } from "./outcome_text.ts";

Deno.test("renderOutcome() shows a peer certificate subject of 30,000 characters by its start and length", () => {
  const outcome = echoSuccess();
  const subject = Array.from({ length: 500 }, (_, i) => `OU=u${i}\x1b[2J${"x".repeat(50)}`).join(
    ", ",
  );
  outcome.tls!.peer = { ...outcome.tls!.peer!, subject };
  const text = renderOutcome(outcome);
  const peer = text.split("\n").find((l) => l.startsWith("  peer"))!;
  // It was one line of 31,000 characters (escaped, but as long as the peer made it).
  assert.ok(peer.length < 600, `${peer.length} characters`);
  assert.match(peer, /^ {2}peer +OU=u0\\x1B\[2Jx+, OU=u1.*\.\.\. \([\d,]+ characters\)$/);
});

Deno.test("renderOutcome() says a TLS error once, on the TLS line", () => {
  const outcome = echoSuccess();
  outcome.ok = false;
  outcome.stage = "tls";
  outcome.tls = {
    status: "error",
    clientCertificate: false,
    error: "our TLS stack refused the peer's answer: too large",
  };
  delete outcome.association;
  const text = renderOutcome(outcome);
  // It was printed twice: on the TLS line, then again as the peer's words.
  assert.equal(text.split("too large").length - 1, 1, text);
  assert.match(text, /^TLS +error: our TLS stack refused the peer's answer: too large$/m);
});
