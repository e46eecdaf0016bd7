/**
 * A SUT that dies partway through a run: after the sanity check passed,
 * a case whose conversation cannot reach the target is an ERROR, never a
 * verdict: refusal cases written as `echo: failure` must not pass against a
 * dead port. The runner re-checks the target and says from which case on it
 * was gone; the exit code is non-zero and the reports are written.
 */
import assert from "node:assert/strict";
import type { RunResult } from "../src/runner/result.ts";
import { spawnDicomtls } from "../src/testing/cli.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const hasStorescp = havePeer("storescp", "dcmtk");

/**
 * A free port below the kernel's ephemeral range (32768 and up), where
 * freePort() never looks: once storescp is killed, a test running beside
 * this one could otherwise listen on its port, and the cases after the kill
 * would reach that server.
 */
function portBelowEphemeral(): number {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch { /* taken: try another */ }
  }
}

Deno.test({
  name: "cases after the SUT was killed are errors naming the case it stopped at, never passes",
  ignore: !hasStorescp,
  async fn() {
    const pki = await testPki();
    const scp = await startStorescp({
      port: portBelowEphemeral(),
      cert: pkiFile(pki, "server", "chain"),
      key: pkiFile(pki, "server", "key"),
      trust: [pkiFile(pki, "root", "crt")],
    });
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-gone-" });
    try {
      // The files of the PKI storescp trusts (a suite's own pki: would generate another root).
      const files = (name: string) =>
        `{ cert: ${pkiFile(pki, name, "chain")}, key: ${pkiFile(pki, name, "key")} }`;
      const expired = files("client-expired");
      const cases = Array.from(
        { length: 200 },
        (_, i) =>
          i % 2
            ? `  - { name: "case ${
              i + 1
            }: expired is refused", harness: { certificate: ${expired} }, expect: { echo: failure } }`
            : `  - { name: "case ${i + 1}: trusted echoes", expect: { echo: success } }`,
      ).join("\n");
      await Deno.writeTextFile(
        `${dir}/suite.yaml`,
        `suite: dies midway
peers:
  sut: { role: scp, ae: STORESCP, host: 127.0.0.1, port: ${scp.port}, concurrency: 1 }
  harness: { certificate: ${files("client")}, trust: [${pkiFile(pki, "root", "crt")}] }
defaults: { timeout: 10s }
cases:
${cases}
`,
      );
      const child = spawnDicomtls(["run", dir, "--reports", `${dir}/out`], {
        cwd: dir,
        env: { TMPDIR: dir },
      });
      const stderr = new Response(child.stderr).text();
      let lines = 0;
      let rest = "";
      for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
        const parts = (rest + text).split("\n");
        rest = parts.pop()!;
        for (const line of parts) {
          if (/^(PASS|FAIL|ERROR) /.test(line) && ++lines === 50) Deno.kill(scp.pid, "SIGKILL");
        }
      }
      const status = await child.status;
      assert.equal(status.code, 1, await stderr);
      const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/out/results.json`));
      const [suite] = run.suites;
      const statuses = suite.cases.map((c) => c.status);
      // The kill follows the 50th line as this test reads it; the run may be a line or two
      // ahead by then (a loaded machine). The case under way when storescp died (reset
      // without a byte, or closed during the association) is an error like every case after
      // it: the runner re-checks the target before it judges a conversation the target left
      // without a word.
      const dying = statuses.findIndex((s) => s !== "passed");
      assert.ok(dying >= 50 && dying <= 54, `first case not passed: ${dying + 1}: ${statuses}`);
      assert.deepEqual(
        statuses.slice(dying),
        Array(200 - dying).fill("error"),
        JSON.stringify(statuses),
      );
      assert.match(
        suite.error ?? "",
        new RegExp(`^the target stopped answering at case ${dying + 1} \\(case `),
      );
      assert.match(
        suite.cases[120].message ?? "",
        /^not run: the target stopped answering at case/,
      );
      const junit = await Deno.readTextFile(`${dir}/out/junit.xml`);
      assert.ok((junit.match(/<error /g)?.length ?? 0) >= 149);
      assert.ok((await Deno.stat(`${dir}/out/report.html`)).size > 0);
    } finally {
      await scp.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
