/**
 * The generated certificates work in a real DICOM TLS handshake: DCMTK
 * storescp (server, with its intermediate chain) and echoscu (client)
 * complete a C-ECHO, for an RSA and an EC PKI.
 */
import assert from "node:assert/strict";
import { havePeer, PEER_ENV, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const haveDcmtk = havePeer("storescp", "dcmtk") && havePeer("echoscu", "dcmtk");

async function echo(options: { spec: string; client: string; port: number }): Promise<string> {
  const pki = await testPki(options.spec);
  const { stdout, stderr } = await new Deno.Command("echoscu", {
    args: [
      "-v",
      "+tls",
      pkiFile(pki, options.client, "key"),
      pkiFile(pki, options.client, "crt"),
      "+cf",
      pkiFile(pki, "root", "crt"),
      "-aet",
      "TESTSCU",
      "-aec",
      "STORESCP",
      "127.0.0.1",
      String(options.port),
    ],
    env: PEER_ENV,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
}

async function withStorescp(spec: string, fn: (port: number) => Promise<void>) {
  const pki = await testPki(spec);
  const scp = await startStorescp({
    cert: pkiFile(pki, "server", "chain"),
    key: pkiFile(pki, "server", "key"),
    trust: [pkiFile(pki, "root", "crt")],
  });
  try {
    await fn(scp.port);
  } finally {
    await scp.stop();
  }
}

for (const spec of ["rsa", "ec"]) {
  Deno.test({
    name:
      `DCMTK storescp and echoscu complete a TLS C-ECHO with the ${spec} PKI's server and client`,
    ignore: !haveDcmtk,
    async fn() {
      await withStorescp(spec, async (port) => {
        const log = await echo({ spec, client: "client", port });
        assert.match(log, /Received Echo Response \(Success\)/, log);
      });
    },
  });
}

Deno.test({
  name:
    "DCMTK storescp refuses the standard PKI's client-untrusted and client-expired but accepts client",
  ignore: !haveDcmtk,
  async fn() {
    await withStorescp("standard", async (port) => {
      for (const client of ["client-untrusted", "client-expired"]) {
        const log = await echo({ spec: "standard", client, port });
        assert.doesNotMatch(log, /Received Echo Response \(Success\)/, `${client}: ${log}`);
        assert.match(log, /Association Request Failed/, `${client}: ${log}`);
      }
      // The server is still up and accepts the valid client: the refusals were about the certificates.
      assert.match(
        await echo({ spec: "standard", client: "client", port }),
        /Received Echo Response \(Success\)/,
      );
    });
  },
});
