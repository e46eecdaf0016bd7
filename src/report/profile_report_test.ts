import assert from "node:assert/strict";
import { evaluateProfile, profileByName } from "../profiles/mod.ts";
import type { RunResult } from "../runner/result.ts";
import { samplePxProbe } from "../testing/full_probe.ts";
import { sampleRun } from "../testing/sample_run.ts";
import { renderHtml } from "./html.ts";
import { renderJunit } from "./junit.ts";
import { profileTestsuites } from "./profile_junit.ts";
import { suiteTable } from "./profile_table.ts";
import { renderProbeText } from "./profile_text.ts";

const probe = samplePxProbe();
const b10 = evaluateProfile(probe, profileByName("bcp195-nd")!);

/** The sample run with the +px probe on its first suite and B.10 expected by its first case. */
function runWithProfiles(): RunResult {
  const run = sampleRun();
  run.suites[0].probe = probe;
  run.suites[0].cases[0].profiles = [b10];
  return run;
}

Deno.test("suiteTable() has a row per accepted suite and a column per version", () => {
  const t = suiteTable(probe);
  assert.deepEqual(t.versions.map((v) => v.version), [
    "SSLv3",
    "TLSv1",
    "TLSv1.1",
    "TLSv1.2",
    "TLSv1.3",
  ]);
  assert.deepEqual(t.rows[0], {
    name: "TLS_RSA_WITH_AES_128_CBC_SHA",
    openssl: "AES128-SHA",
    accepted: { "TLSv1": "RSA", "TLSv1.1": "RSA", "TLSv1.2": "RSA" },
  });
  assert.equal(t.rows.length, 3);
});

Deno.test("renderProbeText() names each violation and escapes what the peer controls", () => {
  const text = renderProbeText(probe, [b10]);
  assert.match(text, /TLS 1\.0 +accepted +ServerHello TLSv1 TLS_RSA_WITH_AES_128_CBC_SHA/);
  assert.ok(
    text.includes("NON-COMPLIANT\n  violation: accepts TLS 1.0 (forbidden by PS3.15 B.10)"),
  );
  assert.ok(!text.includes("\u001b"), "no escape character reaches the terminal");
  assert.ok(!text.includes("\u202e"), "no bidi override reaches the terminal");
  assert.match(text, /CN=evil\\x1B\[2J\\u\{202E\}/);
});

Deno.test("profileTestsuites() gives one testcase per requirement, a failure per violated 'shall'", () => {
  const [suite] = profileTestsuites(runWithProfiles().suites[0]);
  assert.equal(suite.tests, b10.requirements.length);
  assert.equal(suite.failures, 2); // TLS 1.0/1.1, and two of the four suites (not in the sample)
  assert.match(
    suite.xml,
    /<testcase name="no-tls10-tls11: shall not negotiate TLS version 1\.1 or TLS version 1\.0"/,
  );
  assert.match(
    suite.xml,
    /<failure type="profile" message="accepts TLS 1\.0 \(forbidden by PS3\.15 B\.10\)">/,
  );
  assert.match(suite.xml, /warning: accepts TLS_RSA_WITH_AES_128_CBC_SHA/);
});

Deno.test("renderJunit() adds the profile testsuites and counts them in the totals", () => {
  const plain = renderJunit(sampleRun());
  const xml = renderJunit(runWithProfiles());
  const total = (x: string) => Number(/<testsuites [^>]*tests="(\d+)"/.exec(x)![1]);
  assert.equal(total(xml) - total(plain), b10.requirements.length);
  assert.match(xml, /<testsuite name="[^"]* :: PS3\.15 B\.10 bcp195-nd"/);
});

Deno.test("renderHtml() shows the versions x suites table and the verdict, escaped, without script", () => {
  const html = renderHtml(runWithProfiles());
  assert.match(html, /<section class="panel" aria-label="tls profiles"><h2>TLS profiles<\/h2>/);
  assert.match(html, /<code>TLS_RSA_WITH_AES_128_CBC_SHA<\/code><\/td><td><\/td><td>✓ RSA<\/td>/);
  assert.match(html, /class="badge s-failed">non-compliant<\/span> PS3\.15 B\.10/);
  assert.ok(!renderHtml(sampleRun()).includes("tls profiles"), "no panel without a probe");
});

Deno.test("renderHtml() says when the target changed under the probe, escaped", () => {
  const run = runWithProfiles();
  const changed = "the target's answer to the TLSv1.2 hello changed: first <b>x</b>, then alert";
  run.suites[0].probe = { ...probe, changed };
  run.suites[0].cases[0].profiles = [evaluateProfile(run.suites[0].probe, profileByName("B.10")!)];
  const html = renderHtml(run);
  assert.match(html, /<p>changed under the probe: the target&apos;s answer .*first &lt;b&gt;x/);
  assert.match(html, /undetermined<\/span> PS3\.15 B\.10/);
});

Deno.test("profileTestsuites() passes a known violation of a case marked fails: true, noting it", () => {
  const run = runWithProfiles();
  run.suites[0].cases[0].status = "expected-failure";
  const [suite] = profileTestsuites(run.suites[0]);
  assert.equal(suite.failures, 0);
  assert.match(suite.xml, /expected failure \(fails: true\): accepts TLS 1\.0/);
});
