import assert, { ok, strictEqual } from "node:assert/strict";
import { renderHtml, renderHtmlChunks } from "./mod.ts";
import { generateRun } from "../testing/generated_run.ts";
import {
  hostileSampleRun as hostileRun,
  sampleRun,
  SECRET_MARKERS,
} from "../testing/sample_run.ts";
import { TICKET_FOLDERS, ticketRun } from "../testing/ticket_run.ts";

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

Deno.test("renderHtml() heads the page with the target, the command line, the tool and the tester's host", () => {
  const html = renderHtml(ticketRun());
  const header = html.slice(html.indexOf("<header"), html.indexOf("</header>"));
  for (
    const expected of [
      "<td>SCP</td>",
      ">DEVICE<",
      ">192.0.2.10<",
      ">11112<",
      "dicomtls run suites/device/scp.yaml --set &apos;password=[redacted]&apos; --reports ~/reports/device",
      "dicomtls 0.1.0",
      "lab-pc-7",
    ]
  ) ok(header.includes(expected), `the header lacks ${expected}:\n${header}`);
});

Deno.test("renderHtml() shows none of the tester's folders and no secret from the command line", () => {
  const html = renderHtml(ticketRun());
  ok(!html.includes(TICKET_FOLDERS.home), "an absolute path of the tester's machine");
  ok(!html.includes("correct horse"), "a password from the command line");
  ok(html.includes("~/.cache/dicomtls/pki/device-1a2b/server.pem"), "home as ~ in the peer log");
});

Deno.test("renderHtml() writes expected vs actual as words and a passed refusal as expected", () => {
  const html = renderHtml(ticketRun());
  ok(
    html.includes(
      "<td>certificate_expired or bad_certificate or certificate_unknown or access_denied</td><td>no alert from the peer</td>",
    ),
  );
  const evidence = html.slice(html.indexOf('id="all-cases"'), html.indexOf('id="run-data"'));
  ok(!evidence.includes("[&quot;") && !evidence.includes(">null<"), "no raw JSON in the evidence");
  ok(html.includes("the association was rejected as expected: rejected-permanent, service-user"));
  ok(
    !/<dt>error<\/dt><dd>Association rejected/.test(html),
    "a rejection the case expected is no error",
  );
});

Deno.test("renderHtml() puts every case with its evidence, wire included, in the page itself", () => {
  const run = ticketRun();
  const html = renderHtml(run);
  const table = html.slice(
    html.indexOf('<table class="cases">'),
    html.indexOf("</table>", html.indexOf('<table class="cases">')),
  );
  strictEqual(table.match(/<tr class="s-/g)?.length, run.summary.total);
  strictEqual(html.match(/<article class="evidence /g)?.length, run.summary.total);
  for (
    const expected of [
      "<dt>wire.serverHello</dt><dd>TLSv1.3, TLS_AES_128_GCM_SHA256",
      "<dt>wire.close</dt><dd>the peer closed first",
      "not-tls, the peer sent non-TLS bytes",
      "a DICOM A-ABORT (service-provider, unexpected-pdu) (0700000000040000)",
      "timeout, waiting for the peer&apos;s ServerHello",
      "<dt>tls.alertSent</dt><dd>decode_error (50) by us",
    ]
  ) ok(html.includes(expected), `the evidence lacks ${expected}`);
});

Deno.test("renderHtmlChunks() makes the page a case at a time, in bounded chunks", () => {
  const run = generateRun({ cases: 3000, suites: 2 });
  const chunks = [...renderHtmlChunks(run)];
  const longest = Math.max(...chunks.map((c) => c.length));
  assert.ok(chunks.length > 10, `${chunks.length} chunks`);
  assert.ok(longest < 2 << 20, `a chunk of ${longest} characters`);
  const html = chunks.join("");
  const data = /<script type="application\/json" id="run-data">(.*?)<\/script>/s.exec(html)![1];
  const embedded = JSON.parse(data);
  assert.deepEqual(embedded.suites.map((s: { cases: unknown[] }) => s.cases.length), [1500, 1500]);
  assert.equal(html.match(/<article class="evidence /g)?.length, 3000);
});

Deno.test("renderHtml() shows the suite's description in its header and each case's in its row and evidence, escaped", () => {
  const html = renderHtml(sampleRun());
  const suites = html.slice(
    html.indexOf('aria-label="suites"'),
    html.indexOf("</section>", html.indexOf('aria-label="suites"')),
  );
  ok(
    suites.includes(
      '<span class="description">DCMTK storescp with mutual TLS\nsecond line &lt;script&gt;alert(1)&lt;/script&gt; \\u{202E}evil</span></summary>',
    ),
    suites,
  );
  const caseText =
    "the baseline: a valid chain to the trusted root &lt;b&gt;&amp;amp;&lt;/b&gt;\n\\x1B[31mred";
  ok(html.includes(`<div class="description">${caseText}</div></td>`), "in the static table's row");
  ok(html.includes(`<p class="description">${caseText}</p>`), "in the case's evidence");
  ok(!html.includes("<script>alert") && !html.includes("<b>&amp;"), "no markup from a description");
  // deno-lint-ignore no-control-regex
  ok(!/[\u202a-\u202e\u001b]/.test(html), "no bidi or escape character");
  // The page's script has them too (suite header data, row, search).
  const data = /<script type="application\/json" id="run-data">(.*?)<\/script>/s.exec(html)![1];
  const run = JSON.parse(data);
  strictEqual(run.suites[0].description.split("\n")[0], "DCMTK storescp with mutual TLS");
  ok(run.suites[0].cases[0].description.startsWith("the baseline: a valid chain"));
  ok(!data.includes("<"), "no < in the embedded JSON");
});
