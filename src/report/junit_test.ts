import { ok } from "node:assert/strict";
import { renderJunit } from "./mod.ts";
import { sampleRun, SECRET_MARKERS } from "../testing/sample_run.ts";

Deno.test("renderJunit() escapes markup, strips control characters and carries no secrets", () => {
  const xml = renderJunit(sampleRun());
  ok(xml.includes(`revoked client certificate is refused &lt;&amp;&quot;&apos;&gt;`));
  // deno-lint-ignore no-control-regex
  ok(!/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(xml), "XML 1.0 forbids C0 control characters");
  ok(!xml.includes("[31m"), "ANSI sequences are removed whole");
  for (const secret of SECRET_MARKERS) ok(!xml.includes(secret), `report contains ${secret}`);
  ok(xml.includes("[private key removed]"));
});

Deno.test("renderJunit() drops lone surrogates and U+FFFE that XML 1.0 cannot carry", () => {
  const run = sampleRun();
  run.suites[0].cases[0].name = "bad \uD800 text \uFFFE end 😀";
  const xml = renderJunit(run);
  ok(xml.includes(`name="bad  text  end 😀 [key=ec-p256]"`), xml.slice(0, 2000));
});
