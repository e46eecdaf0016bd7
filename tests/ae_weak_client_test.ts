/**
 * Weak client certificates reach the reference AE (our OpenSSL stack
 * presents what rustls refuses to load) and the AE in chain mode refuses
 * them with our verifier's reasons: weak-key for RSA 1024, weak-hash for a
 * SHA-1 signature.
 */
import assert from "node:assert/strict";
import { runScu } from "../src/scu/mod.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { startTestAe, waitForLogs } from "../src/testing/reference_ae.ts";

const pki = await testPki();

for (const [client, reason] of [["client-weak-key", "weak-key"], ["client-sha1", "weak-hash"]]) {
  Deno.test(`the reference AE in chain mode refuses ${client} with ${reason}`, async () => {
    const ae = await startTestAe(pki);
    try {
      const outcome = await runScu({
        host: "127.0.0.1",
        port: ae.port,
        callingAe: "MODALITY",
        calledAe: "REFAE",
        credentials: await loadCredentials({
          cert: pkiFile(pki, client, "crt"),
          key: pkiFile(pki, client, "key"),
        }),
        policy: { method: "none" },
        maxVersion: "TLSv1.2",
        timeoutMs: 5000,
      });
      assert.equal(outcome.ok, false);
      assert.equal(outcome.tls?.status, "refused-by-peer", JSON.stringify(outcome.tls));
      await waitForLogs(ae, 1);
      const [log] = ae.logs;
      assert.equal(log.tls?.status, "refused-by-us", JSON.stringify(log));
      assert.ok(log.verification?.reasons.includes(reason as "weak-key"), JSON.stringify(log));
    } finally {
      await ae.close();
    }
  });
}
