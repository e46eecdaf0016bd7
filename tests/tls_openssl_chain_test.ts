/**
 * The peer chain the OpenSSL stack reports is the one the peer sent: a
 * server that names trust anchors in its CertificateRequest (`ca`) does not
 * get the root appended to the chain a client sent (Node's
 * getPeerCertificate(true) adds issuers from its store).
 */
import assert from "node:assert/strict";
import { startOpenSsl } from "../src/tls/openssl/mod.ts";
import { enginePair } from "../src/testing/openssl_stack.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const ignore = !havePeer("node", "nodejs");
const pki = ignore ? undefined : await testPki();
const text = (name: string, ext: "crt" | "chain" | "key") =>
  Deno.readTextFileSync(pkiFile(pki!, name, ext));

Deno.test({
  name:
    "a client that sends its leaf is reported with one certificate, with its intermediate two, never with our root appended",
  ignore,
  async fn() {
    const engine = await startOpenSsl();
    try {
      // The server names the root; "server" is issued by the intermediate.
      const serverOptions = {
        cert: text("server-rsa", "chain"),
        key: text("server-rsa", "key"),
        requestCert: true,
        ca: [text("root", "crt")],
      };
      for (const [sent, expected] of [["crt", 1], ["chain", 2]] as const) {
        const { server, client, close } = await enginePair(engine, serverOptions, {
          cert: text("server", sent),
          key: text("server", "key"),
        });
        try {
          assert.equal(server.peerChain.length, expected, `client sent its ${sent}`);
          assert.equal(server.peerCertificate, true);
          assert.equal(client.peerChain.length, 2); // server-rsa and the intermediate
        } finally {
          await close();
        }
      }
    } finally {
      await engine.close();
    }
  },
});
