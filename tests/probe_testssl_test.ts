/**
 * The prober against testssl.sh 3.0 (`testssl -p -E`: protocols, and the
 * suites of each) on DCMTK storescp +py, +px and +pz, each with a client
 * certificate required (-rc) and ignored (-ic): the same versions offered
 * and the same suites per version. testssl.sh runs with `--fast` (`-E`
 * through the local OpenSSL only, the library storescp is built on; the
 * versions still through its sockets): the same findings as without it on
 * these targets, in about half the time. It still takes 30 to 70 s per
 * target on this shared machine (our probe 0.3 to 1.1 s), so by default
 * (and in CI) only storescp +px -rc runs, the target where sslscan is wrong
 * and TLS 1.0 is accepted; DICOMTLS_SLOW_TESTS=1 runs all six.
 */
import assert from "node:assert/strict";
import { probeTarget } from "../src/probe/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { testPki } from "../src/testing/pki.ts";
import {
  probedSuites,
  startStorescpProfile,
  testsslFindings,
} from "../src/testing/probe_oracles.ts";
import { slowTests } from "../src/testing/slow.ts";

const ignore = !havePeer("storescp", "dcmtk") || !havePeer("testssl", "testssl.sh");
const pki = ignore ? undefined : await testPki();

for (const profile of ["+py", "+px", "+pz"] as const) {
  for (const requireClientCertificate of [true, false]) {
    const rc = requireClientCertificate ? "-rc" : "-ic";
    const representative = profile === "+px" && requireClientCertificate;
    Deno.test({
      name:
        `probeTarget() finds per version the suites testssl.sh finds on storescp ${profile} ${rc}`,
      ignore: ignore || (!representative && !slowTests()),
      async fn() {
        const scp = await startStorescpProfile({ pki: pki!, profile, requireClientCertificate });
        try {
          const report = await probeTarget({ host: "127.0.0.1", port: scp.port, quick: true });
          const testssl = await testsslFindings(scp.port, { fast: true });
          assert.deepEqual(probedSuites(report), testssl.suites);
          for (const v of report.versions) {
            const said = testssl.versions[v.version];
            assert.equal(v.status === "accepted" ? "offered" : "not offered", said, v.version);
          }
          console.log(
            `storescp ${profile} ${rc}: probe ${report.durationMs} ms, testssl.sh ${
              testssl.seconds.toFixed(1)
            } s`,
          );
        } finally {
          await scp.stop();
        }
      },
    });
  }
}
