import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { renderCaseLine, renderProgress, renderSummary } from "./mod.ts";
import { sampleRun } from "../testing/sample_run.ts";

const run = sampleRun();
const cases = run.suites.flatMap((s) => s.cases);
const SUMMARY_FORM = /\d+ passed, \d+ failed/;

Deno.test("renderCaseLine() gives one line per case with mark, suite, name, duration and message", () => {
  const lines = cases.map((c) => renderCaseLine(c));
  deepStrictEqual(lines.map((l) => l.split(" ")[0]), [
    "PASS",
    "PASS",
    "FAIL",
    "PASS",
    "PASS",
    "XFAIL",
    "SKIP",
    "INTR",
    "PASS",
    "ERROR",
    "ERROR",
    "ERROR",
  ]);
  strictEqual(
    lines[0],
    "PASS  storescp refuses bad client certificates › trusted client certificate is accepted [key=ec-p256] (20 ms)",
  );
  ok(lines[6].endsWith("(26 ms): legacy TLS 1.0 client not available"), lines[6]);
  for (const line of lines) {
    // deno-lint-ignore no-control-regex
    ok(!/[\x00-\x1f\x7f]/.test(line), `control character in ${JSON.stringify(line)}`);
    ok(!SUMMARY_FORM.test(line));
  }
});

Deno.test("renderCaseLine() strips ANSI sequences from peer text and colours only when asked", () => {
  const failed = cases[2];
  const plain = renderCaseLine(failed);
  ok(plain.includes(`got established <&"'>`), plain);
  ok(!plain.includes("[0m") && !plain.includes("[31m"), plain);
  const colored = renderCaseLine(failed, { color: true });
  ok(colored.startsWith("\x1b[31mFAIL"), JSON.stringify(colored));
});

Deno.test("renderProgress() shows done/total and failures without looking like the summary", () => {
  strictEqual(
    renderProgress({ done: 12, total: 200, failures: 1 }),
    "[ 12/200]   6% · 1 failing so far",
  );
  strictEqual(renderProgress({ done: 0, total: 0, failures: 0 }), "[0/0] 100% · none failing");
  ok(!SUMMARY_FORM.test(renderProgress({ done: 5, total: 9, failures: 3 })));
});

Deno.test("renderSummary() is the one line of the form 'N passed, N failed, ...'", () => {
  strictEqual(
    renderSummary(run),
    "5 passed, 1 failed, 3 errors, 1 skipped, 1 expected failures, 1 interrupted in 2.1 s (run interrupted)",
  );
  const clean = { ...run, interrupted: false, summary: { ...run.summary, interrupted: 0 } };
  strictEqual(
    renderSummary(clean),
    "5 passed, 1 failed, 3 errors, 1 skipped, 1 expected failures in 2.1 s",
  );
});
