/**
 * runScu against dcmjs-dimse's SCP running under Node.js, whose TLS is
 * OpenSSL: a TLS stack, upper layer and DIMSE implementation all independent
 * of ours (the handshake is OpenSSL's; see tests/echo_dcmjs_dimse_test.ts for
 * the same SCP inside Deno). dcmjs-dimse is installed for Node with npm into a cache folder
 * (the project itself has no node_modules).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runScu } from "../src/scu/mod.ts";
import { loadTrustAnchors } from "../src/security/mod.ts";
import { startProcess } from "../src/process/mod.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { installNodePeerScripts } from "../src/testing/node_peers.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const ignore = !havePeer("node", "nodejs") || !havePeer("npm", "npm");

Deno.test({
  name:
    "echo succeeds against dcmjs-dimse on Node.js (OpenSSL), which refuses an untrusted client by closing",
  ignore,
  async fn(t) {
    const pki = await testPki();
    const file = (name: string, ext: "crt" | "key" | "chain") => pkiFile(pki, name, ext);
    const modules = await installNodePeerScripts([
      "dcmjs_dimse_scp.mjs",
      "dcmjs_dimse_echo_scp.mjs",
    ]);
    const script = join(modules, "dcmjs_dimse_scp.mjs");
    const scp = await startProcess({
      command: [
        "node",
        script,
        file("server", "key"),
        file("server", "chain"),
        file("root", "crt"),
      ],
      ready: { log: /listening on \d+/, timeoutMs: 15_000 },
    });
    const port = Number(/listening on (\d+)/.exec(scp.log())![1]);
    const anchors = (await loadTrustAnchors([file("root", "crt")])).der;
    const echo = async (client: string, maxVersion?: "TLSv1.2") =>
      runScu({
        host: "127.0.0.1",
        port,
        callingAe: "DICOMTLS",
        calledAe: "DCMJS",
        credentials: await loadCredentials({ cert: file(client, "crt"), key: file(client, "key") }),
        policy: { method: "chain", anchors },
        maxVersion,
        timeoutMs: 5000,
      });
    try {
      await t.step("trusted client: C-ECHO Success, released", async () => {
        const o = await echo("client");
        assert.equal(o.ok, true, JSON.stringify({ tls: o.tls, association: o.association }));
        assert.equal(o.tls?.protocol, "TLSv1.3");
        assert.equal(o.dimse?.operations[0].statusName, "Success");
        assert.equal(o.association?.released, true);
      });
      for (const maxVersion of [undefined, "TLSv1.2"] as const) {
        // Node's TLS server checks rejectUnauthorized in JavaScript after the
        // OpenSSL handshake and destroys the socket: no alert is sent (openssl
        // s_client sees "unexpected eof" too). A refusal at TLS, never an
        // association failure.
        await t.step(
          `untrusted client over ${maxVersion ?? "TLSv1.3"}: closed without alert`,
          async () => {
            const o = await echo("client-untrusted", maxVersion);
            assert.equal(o.stage, "tls");
            assert.equal(o.tls?.status, "refused-by-peer");
            assert.equal(o.tls?.closedWithoutAlert, true);
            assert.equal(o.association?.result, "not-requested");
          },
        );
      }
    } finally {
      await scp.stop();
    }
  },
});
