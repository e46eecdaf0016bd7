import assert from "node:assert/strict";
import { fc } from "../src/testing/fast_check.ts";
import { connectTls, loadCredentials } from "../src/tls/mod.ts";
import { encodePdu, IMPLICIT_VR_LITTLE_ENDIAN, VERIFICATION_SOP_CLASS } from "../src/ul/mod.ts";
import type { AAssociateRq } from "../src/ul/mod.ts";
import { echoscuArgs, runDcmtk, startTestAe, waitForLogs } from "../src/testing/reference_ae.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const RQ: AAssociateRq = {
  type: "A-ASSOCIATE-RQ",
  protocolVersion: 1,
  calledAe: "REFAE",
  callingAe: "FUZZER",
  applicationContext: "1.2.840.10008.3.1.1.1",
  presentationContexts: [{
    id: 1,
    abstractSyntax: VERIFICATION_SOP_CLASS,
    transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
  }],
  userInformation: { maxPduLength: 16384, implementationClassUid: "1.2.3.4" },
};

// A valid A-ASSOCIATE-RQ with some bytes overwritten, truncated or extended.
const mutatedRq = fc.record({
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
    minLength: 1,
    maxLength: 8,
  }),
  cut: fc.option(fc.nat(), { nil: undefined }),
  tail: fc.uint8Array({ maxLength: 16 }),
}).map(({ flips, cut, tail }) => {
  const bytes = encodePdu(RQ).slice();
  for (const [at, value] of flips) bytes[at % bytes.length] = value;
  const kept = cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length);
  return new Uint8Array([...kept, ...tail]);
});

Deno.test({
  name:
    "the reference AE survives mutated A-ASSOCIATE-RQs, logs each, and then serves a valid association",
  ignore: !havePeer("echoscu", "dcmtk"),
  async fn() {
    const pki = await testPki("standard");
    // Short idle timeout: a truncated request must not hold the test up.
    const ae = await startTestAe(pki, { idleTimeoutMs: 300 });
    const credentials = await loadCredentials({
      cert: pkiFile(pki, "client", "crt"),
      key: pkiFile(pki, "client", "key"),
    });
    let sent = 0;
    try {
      await fc.assert(
        fc.asyncProperty(mutatedRq, async (bytes) => {
          const c = await connectTls({
            host: "127.0.0.1",
            port: ae.port,
            credentials,
            timeoutMs: 5000,
          });
          assert.ok(c.ok);
          sent++;
          const closed = new Promise<void>((r) => c.socket.once("close", () => r()));
          c.socket.on("error", () => {});
          c.socket.on("data", () => {});
          c.socket.write(bytes);
          await closed;
        }),
        { numRuns: 25 },
      );
      await waitForLogs(ae, sent);
      assert.equal(ae.logs.length, sent);
      const valid = await runDcmtk("echoscu", echoscuArgs(pki, ae, "client"));
      assert.match(valid.output, /Received Echo Response \(Success\)/, valid.output);
    } finally {
      await ae.close();
    }
  },
});
