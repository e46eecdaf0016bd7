import { ok } from "node:assert/strict";
import { renderJunit } from "./mod.ts";
import { sampleRun, SECRET_MARKERS } from "../testing/sample_run.ts";

Deno.test("renderJunit() escapes markup, shows control characters as visible escapes and carries no secrets", () => {
  const run = sampleRun();
  run.suites[0].cases[2].message = "csi \u009b2J bidi \u202Eevil";
  const xml = renderJunit(run);
  ok(
    xml.includes(`revoked client certificate is refused &lt;&amp;&quot;&apos;&gt; \\x07\\x1B[31m`),
  );
  // deno-lint-ignore no-control-regex
  ok(!/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(xml), "XML 1.0 forbids C0 control characters");
  ok(!/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(xml), "no DEL, C1 or bidi character");
  ok(xml.includes("csi \\x9B2J bidi \\u{202E}evil"), "shown as escapes");
  for (const secret of SECRET_MARKERS) ok(!xml.includes(secret), `report contains ${secret}`);
  ok(xml.includes("[private key removed]"));
});

Deno.test("renderJunit() shows lone surrogates and U+FFFE that XML 1.0 cannot carry as escapes", () => {
  const run = sampleRun();
  run.suites[0].cases[0].name = "bad \uD800 text \uFFFE end 😀";
  const xml = renderJunit(run);
  ok(xml.includes(`name="bad \\u{D800} text \\u{FFFE} end 😀 [key=ec-p256]"`), xml.slice(0, 2000));
});
