/**
 * A listener that can complete a handshake with no one is a broken test,
 * not a passed one: our own sanity handshake against the case's listener
 * fails first, and the case is an error however well its expectation of a
 * refusal would have matched.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runSuites } from "../src/runner/mod.ts";
import { loadSuites } from "../src/scenario/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { echoscuInboundSuite } from "../src/testing/suites.ts";

Deno.test({
  name: "a case whose listener fails our own sanity handshake is an error, never a pass",
  ignore: !havePeer("node", "nodejs") || !havePeer("echoscu", "dcmtk"),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-inbound-sanity-" });
    try {
      const file = join(dir, "broken.yaml");
      // An EC certificate with only an RSA key exchange suite: no handshake can complete.
      const broken = echoscuInboundSuite({
        name: "broken listener",
        body: `cases:
  - name: the SCU refuses a server it cannot agree with
    harness: { tls: { ciphers: [TLS_RSA_WITH_AES_128_CBC_SHA] } }
    expect: { tls: { status: [refused-by-us, refused-by-peer] } }
`,
      });
      await Deno.writeTextFile(file, broken);
      const suites = await loadSuites([file], { pkiCacheDir: join(dir, "pki") });
      const run = await runSuites({ suites });
      const [c] = run.suites[0].cases;
      assert.equal(c.status, "error");
      assert.match(
        c.message!,
        /^our listener cannot complete a TLS handshake with anyone: our own client, offering the same versions and suites, got /,
      );
      assert.equal(run.suites[0].sanity?.status, "error");
      assert.match(run.suites[0].error!, /^sanity check failed: case 'the SCU refuses/);
      assert.equal(c.outcome?.trigger, undefined, "the SUT was never triggered");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
