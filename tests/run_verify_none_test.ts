/**
 * `verification:` is our verifier's verdict on the peer's certificate. With
 * `verify: none` there is none: any certificate passes unchecked, so
 * `verification: { ok: true }` would pass and `{ ok: false }` fail on
 * nothing the peer showed. Both are errors, saying how to verify; with
 * `checkHostname` the host name check is a verdict and is judged.
 */
import assert from "node:assert/strict";
import type { RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

Deno.test({
  name:
    "verification expected of a case that verifies nothing is an error, never a pass or a failure",
  ignore: !havePeer("storescp", "dcmtk"),
  async fn() {
    const pki = await testPki();
    // A lax storescp: it asks for no client certificate worth checking (-ic).
    const scp = await startStorescp({
      cert: pkiFile(pki, "server", "chain"),
      key: pkiFile(pki, "server", "key"),
      flags: ["-ic"],
    });
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-verify-none-" });
    try {
      await Deno.writeTextFile(
        `${dir}/suite.yaml`,
        `suite: verify none
peers:
  sut: { role: scp, ae: STORESCP, host: 127.0.0.1, port: ${scp.port}, concurrency: 1 }
  harness: { trust: [${pkiFile(pki, "root", "crt")}] }
defaults: { timeout: 5s }
cases:
  - { name: unchecked is ok, harness: { verify: none }, expect: { verification: { ok: true } } }
  - { name: unchecked is refused, harness: { verify: none }, expect: { verification: { ok: false } } }
  - name: unchecked echoes
    harness: { verify: none }
    expect: { echo: success, verification: { ok: true } }
  - { name: chain is ok, harness: { verify: chain }, expect: { verification: { ok: true } } }
  - name: host name alone is ok
    harness: { verify: { method: none, checkHostname: true } }
    expect: { verification: { ok: true } }
`,
      );
      const r = await runDicomtls(["run", dir, "--json", `${dir}/r.json`], { cwd: dir });
      const run: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
      const cases = run.suites[0].cases;
      assert.deepEqual(
        cases.map((c) => [c.name, c.status]),
        [
          ["unchecked is ok", "error"],
          ["unchecked is refused", "error"],
          ["unchecked echoes", "error"],
          ["chain is ok", "passed"],
          ["host name alone is ok", "passed"],
        ],
        r.stdout + r.stderr,
      );
      for (const c of cases.slice(0, 3)) {
        assert.match(
          c.message ?? "",
          /^cannot judge verification\.ok (true|false): verify is none, so the peer's certificate was not checked \(give verify: chain or a thumbprint\)/,
        );
      }
    } finally {
      await scp.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
