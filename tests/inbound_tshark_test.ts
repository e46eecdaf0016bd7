/**
 * The ClientHello an inbound case records agrees with what tshark decodes
 * from the same connection on lo: echoscu +py and +px as the SCU under
 * test, each made to connect to our listener on a fixed port while tshark
 * captures it (versions, suites, groups, key shares, SNI).
 */
import assert from "node:assert/strict";
import { runInbound } from "../src/inbound/mod.ts";
import { freePort } from "../src/process/mod.ts";
import { resolveSecurityContext } from "../src/security/mod.ts";
import { havePeer, PEER_ENV } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { canCapture, captured, clientHelloFields } from "../src/testing/tshark.ts";

const ignore = !canCapture() || !havePeer("echoscu", "dcmtk");

for (
  const [profile, versions] of [
    ["+py", ["TLSv1.3", "TLSv1.2"]],
    ["+px", ["TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"]],
  ] as const
) {
  Deno.test({
    name: `the ClientHello recorded of echoscu ${profile} as the SUT agrees with tshark's decoding`,
    ignore,
    async fn() {
      const pki = await testPki();
      const file = (name: string, kind: "crt" | "key" | "chain") => pkiFile(pki, name, kind);
      const port = freePort();
      const security = resolveSecurityContext([{
        certificate: { kind: "pem", cert: file("server", "chain"), key: file("server", "key") },
        verify: "chain",
        ca: [file("root", "crt")],
      }], { role: "acceptor" });
      let result!: Awaited<ReturnType<typeof runInbound>>;
      const theirs = await captured(port, async () => {
        result = await runInbound({
          port,
          ae: "HARNESS",
          acceptCalling: [],
          security,
          timeoutMs: 10_000,
          trigger: {
            kind: "command",
            command: [
              ...["echoscu", "+tls", file("client", "key"), file("client", "crt")],
              ...["+cf", file("root", "crt"), profile, "-aec", "HARNESS"],
              ...["${harness.host}", "${harness.port}"],
            ],
            env: PEER_ENV,
          },
        });
      });
      const o = result.outcome;
      assert.equal(result.problem, undefined, JSON.stringify(result.problem));
      assert.equal(o.association?.result, "accepted");
      assert.deepEqual(o.clientHello?.offeredVersions, versions);
      assert.ok(theirs.client, "tshark saw the ClientHello");
      assert.deepEqual(clientHelloFields(o.clientHello!), theirs.client);
    },
  });
}
