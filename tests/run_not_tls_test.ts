/**
 * The negative control of handshake truth: refusal cases written as
 * `tls: refused-by-peer` against ports that are not TLS servers (one that
 * closes at once, one that resets, one that never answers, a plain
 * storescp) are ERRORs, never PASS, asserted case by case in the JUnit.
 * Cases about the transport itself still run: plain DICOM (`tls: off`)
 * echoes with a plain storescp and is refused by a TLS one; `tls: not-tls`
 * on storescp's close without a byte is no verdict (see
 * run_transport_silence_test.ts for not-tls judged on bytes).
 */
import assert from "node:assert/strict";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { startPlainStorescp } from "../src/testing/plain_storescp.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { type Listener, startListener } from "../src/testing/listeners.ts";
import type { RunResult } from "../src/runner/result.ts";

const hasStorescp = havePeer("storescp", "dcmtk");

const suite = (name: string, port: number, cases: string) => `
suite: ${name}
peers:
  sut: { role: scp, ae: STORESCP, host: 127.0.0.1, port: ${port} }
defaults: { timeout: 2s }
cases:
${cases}`;

const refusals = `
  - { name: expired is refused, expect: { tls: refused-by-peer } }
  - { name: untrusted is refused, expect: { echo: failure, tls: refused-by-peer } }`;

/** The JUnit testcases of a suite as [name, outcome] pairs. */
function junitCases(xml: string, suiteName: string): [string, string][] {
  const block = xml.split("<testsuite ").find((s) => s.includes(`name="${suiteName}"`)) ?? "";
  return [...block.matchAll(/<testcase name="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)].map(
    (
      m,
    ) => [
      m[1],
      /<error /.test(m[3] ?? "") ? "error" : /<failure /.test(m[3] ?? "") ? "failure" : "passed",
    ],
  );
}

Deno.test({
  name: "refusal cases against ports that are not TLS servers are errors, never passes",
  ignore: !hasStorescp,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-not-tls-" });
    const listeners: Listener[] = [];
    const plain = await startPlainStorescp();
    try {
      for (const how of ["close", "reset", "silent"] as const) {
        const l = await startListener(how);
        listeners.push(l);
        await Deno.writeTextFile(`${dir}/${how}.yaml`, suite(how, l.port, refusals));
      }
      await Deno.writeTextFile(`${dir}/plain.yaml`, suite("plain", plain.port, refusals));
      const r = await runDicomtls(["run", dir, "--reports", `${dir}/out`], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      const junit = await Deno.readTextFile(`${dir}/out/junit.xml`);
      for (const name of ["close", "reset", "silent", "plain"]) {
        assert.deepEqual(junitCases(junit, name), [
          ["expired is refused", "error"],
          ["untrusted is refused", "error"],
        ], name);
      }
      const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/out/results.json`));
      const errors = Object.fromEntries(run.suites.map((s) => [s.name, s.error]));
      // A close races our ClientHello: the kernel may answer it with a reset.
      assert.match(
        errors.close!,
        /does not speak TLS: it (closed|reset) the connection without sending a byte/,
      );
      assert.match(
        errors.reset!,
        /does not speak TLS: it reset the connection without sending a byte/,
      );
      assert.match(errors.silent!, /does not answer TLS: timeout/);
      // storescp logs "Unrecognized PDU type: 16" and closes (or resets) without a byte.
      assert.match(
        errors.plain!,
        /does not speak TLS: it (closed|reset) the connection without sending a byte/,
      );
    } finally {
      await Promise.all(listeners.map((l) => l.close()));
      await plain.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "plain DICOM (tls: off) echoes with a plain storescp and is refused by a TLS one; not-tls on a silent close is an error",
  ignore: !hasStorescp,
  async fn() {
    const pki = await testPki();
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-plain-" });
    const plain = await startPlainStorescp();
    const secure = await startStorescp({
      cert: pkiFile(pki, "server", "chain"),
      key: pkiFile(pki, "server", "key"),
      trust: [pkiFile(pki, "root", "crt")],
    });
    try {
      await Deno.writeTextFile(
        `${dir}/plain.yaml`,
        suite(
          "plain port",
          plain.port,
          `
  - { name: plain DICOM echoes, harness: { tls: off }, expect: { echo: success } }
  - { name: the port does not speak TLS, expect: { tls: not-tls } }`,
        ),
      );
      await Deno.writeTextFile(
        `${dir}/secure.yaml`,
        suite(
          "TLS port",
          secure.port,
          `
  - { name: plain DICOM is refused, harness: { tls: off }, expect: { echo: failure, association: [aborted, error] } }`,
        ),
      );
      const r = await runDicomtls(["run", dir, "--reports", `${dir}/out`], { cwd: dir });
      const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/out/results.json`));
      const cases = run.suites.flatMap((s) => s.cases);
      assert.deepEqual(
        cases.map((c) => [c.name, c.status]),
        [
          ["plain DICOM echoes", "passed"],
          // storescp closes on our ClientHello without a byte: silence, not an answer.
          ["the port does not speak TLS", "error"],
          ["plain DICOM is refused", "passed"],
        ],
        r.stdout + r.stderr,
      );
      const refused = cases[2].outcome!;
      assert.equal(refused.tls, undefined);
      assert.ok(refused.wire, "the wire of a plain conversation is recorded");
      assert.equal(r.code, 1, r.stderr);
    } finally {
      await plain.stop();
      await secure.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
