/**
 * `expect: { profile: ... }` in a scenario, run as users run it:
 * scenarios/dcmtk/storescp-profiles.yaml starts storescp +px and expects
 * B.9 (met), B.10 and the IHE floor (known not met, fails: true). The target
 * is probed once for the three cases; results.json carries the probe and the
 * verdicts (valid against the schema), JUnit a testcase per requirement
 * (valid against junit-10.xsd with file/line), the HTML report the table.
 */
import assert from "node:assert/strict";
import { Ajv } from "ajv";
import { freePort } from "../src/process/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";
import { junitXsdWithFileLine } from "../src/testing/junit_schema.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const ignore = !havePeer("storescp", "dcmtk") || !havePeer("node", "nodejs") ||
  !havePeer("xmllint", "libxml2-utils");

Deno.test({
  name:
    "a scenario expecting profiles probes storescp +px once and reports each verdict in JSON, JUnit and HTML",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-profiles-" });
    try {
      const r = await runDicomtls([
        "run",
        "scenarios/dcmtk/storescp-profiles.yaml",
        "--set",
        `port=${freePort()}`,
        "--junit",
        `${dir}/junit.xml`,
        "--json",
        `${dir}/results.json`,
        "--html",
        `${dir}/report.html`,
      ], { cwd: ROOT, env: { TMPDIR: dir } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
      const validate = new Ajv({ allErrors: true, strict: true }).compile(
        JSON.parse(await Deno.readTextFile(`${ROOT}schemas/results.schema.json`)),
      );
      assert.ok(validate(run), JSON.stringify(validate.errors, null, 2));
      const suite = run.suites[0];
      assert.deepEqual(suite.cases.map((c) => c.status), [
        "passed",
        "expected-failure",
        "expected-failure",
      ]);
      assert.match(suite.cases[1].message ?? "", /accepts TLS 1\.0 \(forbidden by PS3\.15 B\.10\)/);
      assert.ok(suite.probe, "the probe is on the suite");
      assert.equal(suite.probe.evidence?.find((e) => e.version === "TLSv1")?.result, "echoed");
      assert.deepEqual(suite.cases.map((c) => c.profiles?.map((v) => v.profile)), [
        ["bcp195"],
        ["bcp195-nd"],
        ["ihe-atna-tls12"],
      ]);
      const xsd = await new Deno.Command("xmllint", {
        args: ["--noout", "--schema", await junitXsdWithFileLine(dir), `${dir}/junit.xml`],
        stdout: "null",
        stderr: "piped",
      }).output();
      assert.equal(xsd.code, 0, new TextDecoder().decode(xsd.stderr));
      const junit = await Deno.readTextFile(`${dir}/junit.xml`);
      assert.match(
        junit,
        /<testsuite name="[^"]+ :: PS3\.15 B\.10 bcp195-nd" tests="12" failures="0"/,
      );
      assert.match(
        junit,
        /expected failure \(fails: true\): accepts TLS 1\.0 \(forbidden by PS3\.15 B\.10\)/,
      );
      const html = await Deno.readTextFile(`${dir}/report.html`);
      assert.match(html, /aria-label="tls profiles"/);
      assert.match(html, /<code>TLS_RSA_WITH_AES_128_CBC_SHA<\/code>/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
