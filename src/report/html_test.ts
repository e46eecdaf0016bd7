import { ok, strictEqual } from "node:assert/strict";
import { renderHtml } from "./mod.ts";
import { hostileSampleRun as hostileRun, SECRET_MARKERS } from "../testing/sample_run.ts";

Deno.test("renderHtml() is one self-contained page: no network, no secrets, data escaped", () => {
  const html = renderHtml(hostileRun());
  ok(html.startsWith("<!DOCTYPE html>"));
  ok(!/\b(src|href)\s*=\s*["']?(https?:)?\/\//i.test(html), "no external resource");
  ok(!/@import|url\(/i.test(html), "no external stylesheet or font");
  ok(html.includes(`content="default-src 'none';`), "a CSP forbids any fetch");
  strictEqual(
    html.match(/<\/script/gi)?.length,
    3,
    "the embedded JSON cannot close its script element",
  );
  for (const secret of SECRET_MARKERS) ok(!html.includes(secret), `report contains ${secret}`);
  ok(html.includes('"password":"[redacted]"'));
  ok(html.includes("[private key removed]"));
  // The summary is in the page itself, readable without the script.
  ok(html.includes('<div class="count s-failed"><b>1</b><span>failed</span></div>'));
});
