/**
 * The prober against testssl.sh on the same target in the same run: DCMTK
 * storescp +px -rc (client certificate required, TLS 1.0 allowed), the
 * target issue 12 measured testssl.sh 3.0.8 on (41 s, right answer).
 *
 * Ours: a full probe (5 versions, every IANA suite valid in each, one per
 * hello; preference, groups, signature schemes, TLS 1.3 preferred, chain)
 * plus the association evidence (a real C-ECHO over each accepted version
 * through the OpenSSL stack), which is what `dicomtls probe` does. Theirs:
 * `testssl -p -E` (protocols, suites per protocol). Prints both wall times,
 * the ratio, the target (at most 0.1x) and whether the per-version suite
 * lists and versions agree. A MISS does not fail the run (timings depend on
 * the load); a disagreement does.
 */
import { gatherEvidence, probeTarget } from "../src/probe/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import {
  probedSuites,
  startStorescpProfile,
  testsslFindings,
} from "../src/testing/probe_oracles.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { closeSharedOpenSsl } from "../src/tls/openssl/mod.ts";

const TARGET_RATIO = 0.1;

if (!havePeer("storescp", "dcmtk") || !havePeer("testssl", "testssl.sh")) Deno.exit(0);
const pki = await testPki();
const scp = await startStorescpProfile({ pki, profile: "+px", requireClientCertificate: true });
try {
  const began = performance.now();
  const report = await probeTarget({ host: "127.0.0.1", port: scp.port });
  const probed = performance.now();
  report.evidence = await gatherEvidence(report, {
    host: "127.0.0.1",
    port: scp.port,
    calledAe: "STORESCP",
    credentials: await loadCredentials({
      cert: pkiFile(pki, "client-rsa", "chain"),
      key: pkiFile(pki, "client-rsa", "key"),
    }),
  });
  const done = performance.now();
  const ours = (done - began) / 1000;
  await closeSharedOpenSsl();
  const testssl = await testsslFindings(scp.port);
  const load = Deno.loadavg()[0].toFixed(1);
  const suitesAgree = JSON.stringify(probedSuites(report)) === JSON.stringify(testssl.suites);
  const versionsAgree = report.versions.every((v) =>
    (v.status === "accepted" ? "offered" : "not offered") === testssl.versions[v.version]
  );
  const ratio = ours / testssl.seconds;
  console.log(`target: storescp +px -rc on 127.0.0.1:${scp.port} (load average ${load})`);
  console.log(
    `dicomtls probe: ${ours.toFixed(2)} s (${report.hellos.sent} hellos in ${
      ((probed - began) / 1000).toFixed(2)
    } s, then ${report.evidence.length} C-ECHO associations in ${
      ((done - probed) / 1000).toFixed(2)
    } s)`,
  );
  console.log(`testssl -p -E:  ${testssl.seconds.toFixed(2)} s`);
  console.log(
    `ratio: ${ratio.toFixed(3)}x (target at most ${TARGET_RATIO}x): ${
      ratio <= TARGET_RATIO ? "PASS" : "MISS"
    }`,
  );
  console.log(`same result: suites per version ${suitesAgree}, versions ${versionsAgree}`);
  for (const [v, list] of Object.entries(probedSuites(report))) {
    console.log(`  ${v}: ${list.join(", ")}`);
  }
  if (!suitesAgree || !versionsAgree) Deno.exitCode = 1;
} finally {
  await scp.stop();
}
