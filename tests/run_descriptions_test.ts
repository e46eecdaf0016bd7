/**
 * A suite's and a case's `description:` (what they check: the device suite
 * names a requirement in each) reach every report of a real `run`, with
 * their variables filled in: results.json's suite and case, the JUnit
 * suite's properties and the case's system-out, the HTML suite header and
 * the case's row and evidence; the sanity case does not take the first
 * case's description.
 */
import assert from "node:assert/strict";
import type { RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { freePort } from "../src/process/mod.ts";

// Nothing listens here: the case is about TCP, so it runs and passes at once.
const PORT = freePort();

Deno.test("run carries the suite's and the case's description, interpolated, into JUnit, JSON and HTML", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-descriptions-" });
  try {
    await Deno.writeTextFile(
      `${dir}/suite.yaml`,
      `suite: described
description: >
  Device \${set.device} refuses
  what it should <&>
tags: [device]
peers:
  sut: { role: scp, ae: SCP, host: 127.0.0.1, port: ${PORT} }
cases:
  - name: nothing listens
    description: "requirement \${set.req}: a closed port is refused"
    tags: [tcp]
    expect: { tcp: refused }
  - { name: nor here, expect: { tcp: refused } }
`,
    );
    const r = await runDicomtls(
      ["run", dir, "--set", "device=CT-7", "--set", "req=SEC-12", "--reports", `${dir}/out`],
      { cwd: dir },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const junit = await Deno.readTextFile(`${dir}/out/junit.xml`);
    const json = await Deno.readTextFile(`${dir}/out/results.json`);
    const html = await Deno.readTextFile(`${dir}/out/report.html`);

    const run: RunResult = JSON.parse(json);
    assert.equal(run.suites[0].description, "Device CT-7 refuses what it should <&>\n");
    assert.equal(
      run.suites[0].cases[0].description,
      "requirement SEC-12: a closed port is refused",
    );
    assert.equal(run.suites[0].cases[1].description, undefined);
    assert.equal(run.suites[0].sanity?.description, undefined);
    assert.deepEqual(run.suites[0].cases[0].tags, ["device", "tcp"]);

    assert.ok(
      junit.includes(
        '<property name="description" value="Device CT-7 refuses what it should &lt;&amp;&gt;"/>',
      ),
      junit,
    );
    assert.ok(
      junit.includes("[[PROPERTY|description=requirement SEC-12: a closed port is refused]]"),
      junit,
    );
    assert.ok(junit.includes("[[PROPERTY|tags=device, tcp]]"), junit);

    const suiteHeader =
      '<span class="description">Device CT-7 refuses what it should &lt;&amp;&gt;';
    assert.ok(html.includes(suiteHeader), "the suite's description in its header");
    const caseText = "requirement SEC-12: a closed port is refused";
    assert.ok(html.includes(`<div class="description">${caseText}</div>`), "in the case's row");
    assert.ok(html.includes(`<p class="description">${caseText}</p>`), "in the case's evidence");

    for (const [what, text] of [["junit", junit], ["json", json], ["html", html]]) {
      assert.ok(!text.includes("${set."), `${what} holds a description as written`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
