/**
 * A suite named with a variable (`suite: hostile ${set.name}`) carries the
 * interpolated name in every report: the JUnit testsuite and classname,
 * results.json's suite and cases, the HTML report and the console, never the
 * name as written.
 */
import assert from "node:assert/strict";
import type { RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { freePort } from "../src/process/mod.ts";

Deno.test("run reports the interpolated suite name in JUnit, JSON, HTML and the console", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-suite-name-" });
  try {
    // Nothing listens: the one case is about TCP, so it runs and passes at once.
    await Deno.writeTextFile(
      `${dir}/suite.yaml`,
      `suite: hostile \${set.name}
peers:
  sut: { role: scp, ae: SCP, host: 127.0.0.1, port: ${freePort()} }
cases:
  - { name: nothing listens, expect: { tcp: refused } }
`,
    );
    const r = await runDicomtls(["run", dir, "--set", "name=x", "--reports", `${dir}/out`], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const junit = await Deno.readTextFile(`${dir}/out/junit.xml`);
    const json = await Deno.readTextFile(`${dir}/out/results.json`);
    const html = await Deno.readTextFile(`${dir}/out/report.html`);
    assert.match(junit, /<testsuite name="hostile x" /);
    assert.match(junit, /<testcase name="nothing listens" classname="hostile x"/);
    const run: RunResult = JSON.parse(json);
    assert.equal(run.suites[0].name, "hostile x");
    assert.equal(run.suites[0].cases[0].suite, "hostile x");
    assert.equal(run.suites[0].cases[0].status, "passed");
    assert.match(r.stdout + r.stderr, /hostile x › nothing listens/);
    for (const [what, text] of [["junit", junit], ["json", json], ["html", html]]) {
      assert.ok(!text.includes("${set.name}"), `${what} holds the name as written`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
