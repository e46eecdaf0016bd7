import assert from "node:assert/strict";
import type { VerificationMethod } from "../src/security/mod.ts";
import { echoscuArgs, runDcmtk, startTestAe, waitForLogs } from "../src/testing/reference_ae.ts";
import { havePeer } from "../src/testing/peers.ts";
import { testPki } from "../src/testing/pki.ts";

const SUCCESS = "Received Echo Response (Success)";

// Client certificates of the matrix, by PKI entry; "listed" is a self-signed
// certificate whose thumbprint the thumbprint policy accepts.
const CLIENTS = {
  trusted: "client",
  "untrusted CA": "client-untrusted",
  expired: "client-expired",
  "self-signed": "client-self-signed",
  none: undefined,
  "listed thumbprint": "server-self-signed",
} as const;
type Client = keyof typeof CLIENTS;

// The semantics: none accepts any certificate but requires one;
// chain accepts what chains to the anchors; thumbprint only what is listed.
const ACCEPTS: Record<VerificationMethod, Client[]> = {
  none: ["trusted", "untrusted CA", "expired", "self-signed", "listed thumbprint"],
  chain: ["trusted"],
  thumbprint: ["listed thumbprint"],
};

for (const method of ["none", "chain", "thumbprint"] as const) {
  Deno.test({
    name:
      `the reference AE with mutual authentication and verification '${method}' accepts exactly ${
        ACCEPTS[method].join(", ")
      }`,
    ignore: !havePeer("echoscu", "dcmtk"),
    async fn() {
      const pki = await testPki("standard");
      const listed = pki.manifest.entries.find((e) => e.name === "server-self-signed")!;
      const other = pki.manifest.entries.find((e) => e.name === "intermediate")!;
      const ae = await startTestAe(pki, {
        // The SDK's string form: "A;B", SHA-256 and SHA-1 mixed.
        security: {
          verify: method,
          mutual: true,
          thumbprints: [`${listed.sha256};${other.sha1.toLowerCase()}`],
        },
      });
      try {
        for (const [label, client] of Object.entries(CLIENTS) as [Client, string | undefined][]) {
          const before = ae.logs.length;
          const { output } = await runDcmtk("echoscu", echoscuArgs(pki, ae, client));
          await waitForLogs(ae, before + 1);
          const log = ae.logs[before];
          const expected = ACCEPTS[method].includes(label);
          assert.equal(
            output.includes(SUCCESS),
            expected,
            `${method} x ${label}: echoscu said\n${output}`,
          );
          assert.ok(log, `${method} x ${label}: the AE logged nothing`);
          if (expected) {
            assert.equal(log.result, "accepted", `${method} x ${label}: ${JSON.stringify(log)}`);
            assert.deepEqual(log.dimse, [{ command: "C-ECHO", status: "0x0000" }]);
          } else if (method === "chain") {
            // The TLS stack refused during the handshake: the client saw an alert.
            assert.equal(log.result, "tls-refused", `${method} x ${label}: ${JSON.stringify(log)}`);
            assert.match(log.peer, /^127\.0\.0\.1:\d+$/);
          } else {
            // Our check refused after the handshake; no association was attempted.
            assert.equal(
              log.result,
              "refused-by-verification",
              `${method} x ${label}: ${JSON.stringify(log)}`,
            );
            assert.equal(log.callingAe, undefined);
            assert.deepEqual(log.verification?.reasons, [
              label === "none" ? "no-certificate" : "thumbprint-not-accepted",
            ]);
          }
        }
      } finally {
        await ae.close();
      }
    },
  });
}

Deno.test({
  name:
    "the reference AE without mutual authentication accepts a client that presents no certificate",
  ignore: !havePeer("echoscu", "dcmtk"),
  async fn() {
    const pki = await testPki("standard");
    const ae = await startTestAe(pki, { security: { verify: "chain", mutual: false } });
    try {
      const { output } = await runDcmtk("echoscu", echoscuArgs(pki, ae, undefined));
      assert.ok(output.includes(SUCCESS), output);
      await waitForLogs(ae, 1);
      assert.equal(ae.logs[0].verification, undefined);
    } finally {
      await ae.close();
    }
  },
});
