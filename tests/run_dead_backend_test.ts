/**
 * A TLS-terminating proxy (stunnel, an nginx stream block, a load balancer)
 * whose DICOM backend died still completes every TLS handshake, then closes
 * without an alert and without a DICOM answer: the shape of a TLS 1.3 server
 * refusing our client certificate after the handshake. Refusal cases must
 * not PASS on it: the runner checks again that the target still completes
 * the suite's trusted association, and when it does not, the case is an
 * ERROR naming where it stopped. The control: the reference AE, which
 * refuses bad client certificates in TLS 1.3 by closing after the handshake
 * without an alert and keeps accepting trusted clients, still has its
 * refusals PASS.
 */
import assert from "node:assert/strict";
import type { CaseResult, RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";
import { startPlainStorescp } from "../src/testing/plain_storescp.ts";
import { pkiFile, type PkiResult, testPki } from "../src/testing/pki.ts";
import { startServeProcess } from "../src/testing/reference_ae.ts";
import { startTlsTerminatingProxy } from "../src/testing/tls_terminating_proxy.ts";

const ready = havePeer("storescp", "dcmtk") && havePeer("node", "nodejs");

/** Two trusted echoes, then three refusals written in the three ways suites write them. */
function suite(pki: PkiResult, o: { ae: string; port: number; tls: string }): string {
  const files = (name: string) =>
    `{ cert: ${pkiFile(pki, name, "chain")}, key: ${pkiFile(pki, name, "key")} }`;
  return `suite: refusals behind a proxy
peers:
  sut: { role: scp, ae: ${o.ae}, host: 127.0.0.1, port: ${o.port}, concurrency: 1 }
  harness:
    certificate: ${files("client")}
    trust: [${pkiFile(pki, "root", "crt")}]
    tls: { versions: [${o.tls}] }
defaults: { timeout: 5s }
cases:
  - { name: trusted echoes, expect: { echo: success } }
  - { name: trusted echoes again, expect: { echo: success } }
  - name: expired is refused
    harness: { certificate: ${files("client-expired")} }
    expect: { tls: refused-by-peer }
  - name: untrusted is refused
    harness: { certificate: ${files("client-untrusted")} }
    expect: { echo: failure }
  - name: no certificate is refused
    harness: { certificate: none }
    expect: { association: not-requested }
`;
}

async function run(yaml: string) {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-dead-backend-" });
  try {
    await Deno.writeTextFile(`${dir}/suite.yaml`, yaml);
    const r = await runDicomtls(["run", dir, "--reports", `${dir}/out`], { cwd: dir });
    const results: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/out/results.json`));
    const junit = await Deno.readTextFile(`${dir}/out/junit.xml`);
    return { r, suite: results.suites[0], junit };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Each case's name and status, in order. */
const statuses = (cases: CaseResult[]) => cases.map((c) => `${c.name}: ${c.status}`);

for (const tls of ["TLSv1.2", "TLSv1.3"] as const) {
  Deno.test({
    name: `refusals against a ${tls} proxy whose backend died are errors, never passes`,
    ignore: !ready,
    async fn() {
      const pki = await testPki();
      const backend = await startPlainStorescp();
      // Connection 1 is the sanity check, 2 and 3 the trusted echoes: the backend dies before 4.
      const proxy = await startTlsTerminatingProxy({
        pki,
        backendPort: backend.port,
        maxVersion: tls,
        holdAt: 4,
      });
      try {
        const running = run(suite(pki, { ae: "STORESCP", port: proxy.port, tls }));
        await proxy.held;
        await backend.stop();
        await proxy.release();
        const { r, suite: s, junit } = await running;
        assert.deepEqual(statuses(s.cases), [
          "trusted echoes: passed",
          "trusted echoes again: passed",
          "expired is refused: error",
          "untrusted is refused: error",
          "no certificate is refused: error",
        ], r.stdout + r.stderr);
        assert.match(
          s.cases[2].message ?? "",
          /^the target stopped completing the trusted association at case 3 \(expired is refused\): .*; this case: the peer closed the connection without a TLS alert/,
        );
        for (const c of s.cases.slice(3)) {
          assert.match(
            c.message ?? "",
            /^not run: the target stopped completing the trusted association at case 3 /,
          );
        }
        assert.match(
          s.error ?? "",
          /^the target stopped completing the trusted association at case 3 /,
        );
        assert.equal(r.code, 1);
        // JUnit: every refusal case is an <error>, none passes.
        const testcases = [
          ...junit.matchAll(/<testcase name="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g),
        ];
        for (const name of ["expired", "untrusted", "no certificate"]) {
          const tc = testcases.find((m) => m[1].includes(`${name} is refused`));
          assert.match(tc?.[2] ?? "", /<error /, `${name} in JUnit: ${tc?.[0]}`);
        }
      } finally {
        await proxy.stop();
        await backend.stop();
      }
    },
  });
}

Deno.test({
  name:
    "refusals of the reference AE, which closes after a TLS 1.3 handshake without an alert, pass",
  ignore: !ready,
  async fn() {
    const pki = await testPki();
    const serve = await startServeProcess(pki);
    try {
      const { r, suite: s } = await run(
        suite(pki, { ae: "REFAE", port: serve.port, tls: "TLSv1.3" }),
      );
      assert.deepEqual(statuses(s.cases), [
        "trusted echoes: passed",
        "trusted echoes again: passed",
        "expired is refused: passed",
        "untrusted is refused: passed",
        "no certificate is refused: passed",
      ], r.stdout + r.stderr);
      // What was judged is a close after the handshake without an alert: the shape the check is for.
      assert.equal(s.cases[2].outcome?.tls?.after, "handshake-complete");
      assert.equal(s.cases[2].outcome?.tls?.closedWithoutAlert, true);
      assert.equal(s.error, undefined);
    } finally {
      await serve.stop();
    }
  },
});
