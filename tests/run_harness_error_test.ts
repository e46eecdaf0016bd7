/**
 * A case our own side cannot do (a client certificate the TLS stack it asks
 * for refuses to load: rustls and a 1024-bit RSA key) is an ERROR of that case, never a verdict on the peer, and never
 * the end of the run: every case gets a result, the next suite of the same
 * run runs, and all three reports are written.
 */
import assert from "node:assert/strict";
import { freePort } from "../src/process/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const hasStorescp = havePeer("storescp", "dcmtk");

const suite = (name: string, port: number, cases: string) => `
suite: ${name}
pki: ${ROOT}fixtures/pki/standard.yaml
peers:
  sut:
    role: scp
    ae: STORESCP
    host: 127.0.0.1
    port: ${port}
    concurrency: 1
    start:
      command: [storescp, +tls, "\${pki.server.key}", "\${pki.server.chain}", +cf, "\${pki.root.crt}",
        -aet, STORESCP, -od, "\${env.TMPDIR:-/tmp}", "${port}"]
      env: { TCP_NODELAY: "1" }
      ready: { port: ${port}, timeout: 10s }
  harness: { ae: HARNESS, certificate: client, trust: [root] }
defaults: { timeout: 5s }
cases:
${cases}`;

Deno.test({
  name:
    "cases presenting a key our TLS stack refuses are errors, and the run goes on with its reports",
  ignore: !hasStorescp,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-harness-error-" });
    try {
      const weak = [1, 2, 3].map((i) =>
        `  - { name: weak key ${i}, harness: { certificate: client-weak-key, tls: { stack: rustls } }, expect: { echo: failure } }`
      ).join("\n");
      await Deno.writeTextFile(`${dir}/a.yaml`, suite("weak keys", freePort(), weak));
      await Deno.writeTextFile(
        `${dir}/b.yaml`,
        suite("after", freePort(), "  - { name: trusted, expect: { echo: success } }"),
      );
      const r = await runDicomtls(["run", dir, "--reports", `${dir}/out`], {
        cwd: dir,
        env: { TMPDIR: dir },
      });
      const err = r.stderr;
      assert.equal(r.code, 1, err);
      assert.doesNotMatch(err, /Uncaught/);
      const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/out/results.json`));
      const statuses = run.suites.map((s) => s.cases.map((c) => c.status));
      assert.deepEqual(statuses, [["error", "error", "error"], ["passed"]]);
      for (const c of run.suites[0].cases) {
        assert.match(c.message ?? "", /rustls stack cannot do what is asked: .*key too small/);
      }
      const junit = await Deno.readTextFile(`${dir}/out/junit.xml`);
      assert.equal(junit.match(/<error /g)?.length, 3);
      assert.ok((await Deno.stat(`${dir}/out/report.html`)).size > 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
