/**
 * `deno task demo` on the embedded default: only Deno, the reference AE
 * in-process, a generated PKI. Every demo case passes and the three reports
 * are written.
 */
import assert from "node:assert/strict";
import { runDicomtls } from "../src/testing/cli.ts";

Deno.test("dicomtls demo runs every demo case against the reference AE and writes the three reports", async () => {
  const out = await Deno.makeTempDir({ prefix: "dicomtls-demo-" });
  try {
    const result = await runDicomtls(["demo", "--out", out]);
    const stdout = result.stdout;
    assert.equal(result.code, 0, stdout + result.stderr);
    const summary = /^(\d+) passed, 0 failed, 0 errors/m.exec(stdout);
    assert.ok(summary, stdout);
    assert.ok(Number(summary[1]) >= 15, `at least 15 demo cases, got ${summary[1]}`);
    const junit = await Deno.readTextFile(`${out}/junit.xml`);
    assert.equal((junit.match(/<testcase /g) ?? []).length, Number(summary[1]));
    assert.doesNotMatch(junit, /<failure|<error/);
    const results = JSON.parse(await Deno.readTextFile(`${out}/results.json`));
    assert.equal(results.schemaVersion, 1);
    assert.equal(results.summary.passed, Number(summary[1]));
    // Every suite started its reference AE and passed its sanity check first.
    for (const suite of results.suites) assert.equal(suite.sanity.status, "passed");
    const html = await Deno.readTextFile(`${out}/report.html`);
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.doesNotMatch(html, /PRIVATE KEY/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("dicomtls demo refuses an --out it cannot write before any case runs: exit 2, one line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-demo-out-" });
  try {
    await Deno.writeTextFile(`${dir}/a-file`, "mine\n");
    const result = await runDicomtls(["demo", "--out", `${dir}/a-file/sub`]);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.doesNotMatch(result.stdout, /PASS|passed/);
    assert.match(result.stderr, /^dicomtls demo: cannot write report .*a-file is not a folder/);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.equal(await Deno.readTextFile(`${dir}/a-file`), "mine\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
