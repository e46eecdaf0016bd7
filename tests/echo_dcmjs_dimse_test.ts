/**
 * runScu against dcmjs-dimse 0.3.3's SCP over mutual TLS: another DICOM
 * upper layer and DIMSE implementation than ours and DCMTK's.
 *
 * Its TLS is not an independent stack here: dcmjs-dimse calls `node:tls`,
 * and inside Deno that is Deno's node compatibility layer over rustls, the
 * same stack our client uses (under Node.js it would be OpenSSL). The test
 * still shows that our PDUs and DIMSE messages work with a third
 * implementation, and how a `node:tls` server with requestCert +
 * rejectUnauthorized refuses an untrusted client.
 *
 * `Server.listen(port)` of 0.3.3 binds every interface; we listen on
 * 127.0.0.1 ourselves and hand each TLS socket to its `Scp` class exactly as
 * `Server.listen` does (`new ScpClass(socket, options)`).
 */
import assert from "node:assert/strict";
import tls from "node:tls";
import type { AddressInfo } from "node:net";
import { echoScpClass } from "../fixtures/peers/dcmjs_dimse_echo_scp.mjs";
import { dimse } from "../src/testing/dcmjs_dimse.ts";
import { runScu } from "../src/scu/mod.ts";
import { loadTrustAnchors } from "../src/security/mod.ts";
import type { Outcome } from "../src/outcome/mod.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const EchoScp = echoScpClass(dimse);

const pki = await testPki();
const file = (name: string, ext: "crt" | "key" | "chain") => pkiFile(pki, name, ext);
const read = (name: string, ext: "crt" | "key" | "chain") => Deno.readTextFileSync(file(name, ext));

/** dcmjs-dimse's SCP behind a `node:tls` server on 127.0.0.1 that requires a client certificate chaining to root. */
async function startDcmjsScp() {
  const securityOptions = {
    key: read("server", "key"),
    cert: read("server", "chain"),
    ca: read("root", "crt"),
    requestCert: true,
    rejectUnauthorized: true,
  };
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer(securityOptions, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    new EchoScp(socket, { securityOptions });
  });
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function echo(
  port: number,
  client: string,
  maxVersion: "TLSv1.2" | "TLSv1.3" = "TLSv1.3",
): Promise<Outcome> {
  return runScu({
    host: "127.0.0.1",
    port,
    callingAe: "DICOMTLS",
    calledAe: "DCMJS",
    credentials: await loadCredentials({ cert: file(client, "crt"), key: file(client, "key") }),
    policy: { method: "chain", anchors: (await loadTrustAnchors([file("root", "crt")])).der },
    maxVersion,
    timeoutMs: 5000,
  });
}

Deno.test("echo succeeds against dcmjs-dimse's SCP over mutual TLS, and an untrusted client is refused at TLS", async (t) => {
  const scp = await startDcmjsScp();
  try {
    await t.step("trusted client: C-ECHO Success, released", async () => {
      const o = await echo(scp.port, "client");
      assert.equal(o.ok, true, JSON.stringify({ tls: o.tls, association: o.association }));
      assert.equal(o.tls?.verification?.ok, true);
      assert.equal(o.association?.result, "accepted");
      assert.equal(o.dimse?.operations[0].statusName, "Success");
      assert.equal(o.association?.released, true);
    });
    // Deno's node:tls server enforces rejectUnauthorized by closing the TCP
    // connection after the handshake, without sending an alert (openssl
    // s_client sees "unexpected eof"; Node's OpenSSL would send unknown_ca).
    // What we must report is then a refusal by the peer at TLS, closed
    // without alert, in TLS 1.3 and 1.2 alike: never an association failure.
    for (const maxVersion of ["TLSv1.3", "TLSv1.2"] as const) {
      await t.step(
        `untrusted client over ${maxVersion}: refused by the peer at TLS, closed without alert`,
        async () => {
          const o = await echo(scp.port, "client-untrusted", maxVersion);
          assert.equal(o.ok, false);
          assert.equal(o.stage, "tls");
          assert.equal(o.tls?.status, "refused-by-peer");
          assert.equal(o.tls?.closedWithoutAlert, true);
          assert.equal(o.tls?.alert, undefined);
          assert.equal(o.association?.result, "not-requested");
          assert.deepEqual(o.pdus.filter((p) => p.direction === "received"), []);
        },
      );
    }
  } finally {
    await scp.close();
  }
});
