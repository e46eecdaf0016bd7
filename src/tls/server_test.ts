import assert from "node:assert/strict";
import { listenTls } from "./server.ts";
import { connectTls } from "./connect.ts";
import { credentialsFromPem } from "./credentials.ts";
import { CLIENT_AUTH, makeCert, SERVER_AUTH } from "../testing/certificates.ts";
import type { AcceptedTls } from "./server.ts";

const root = await makeCert({ name: "Root", ca: true });
const rogue = await makeCert({ name: "Rogue", ca: true });
const pair = async (name: string, issuer = root, eku = CLIENT_AUTH) => {
  const c = await makeCert({ name, issuer, eku: [eku], san: [{ type: "ip", value: "127.0.0.1" }] });
  return credentialsFromPem({ cert: c.certPem, key: c.keyPem, source: name });
};
const serverCreds = await pair("server", root, SERVER_AUTH);
const client = await pair("client");
const untrusted = await pair("untrusted", rogue);

Deno.test("listenTls() hands over each connection with the client's certificate chain", async () => {
  const { promise: acceptedOne, resolve } = Promise.withResolvers<AcceptedTls>();
  const server = await listenTls({
    credentials: serverCreds,
    requestCert: true,
    onConnection: resolve,
  });
  try {
    const c = await connectTls({
      host: "127.0.0.1",
      port: server.port,
      credentials: untrusted,
      timeoutMs: 3000,
    });
    assert.equal(c.ok, true);
    assert.equal(c.tls.peer?.subject, "CN=server");
    // secureConnection on the server side may come a moment after the client's handshake.
    const accepted = await acceptedOne;
    if (c.ok) c.socket.destroy();
    assert.equal(accepted.peerChain.length, 1);
    assert.equal(accepted.tls.protocol, "TLSv1.3");
  } finally {
    await server.close();
  }
});

Deno.test("listenTls() with anchors refuses an untrusted client certificate in the handshake", async () => {
  const server = await listenTls({
    credentials: serverCreds,
    requestCert: true,
    anchors: [root.der],
    onConnection: ({ socket }) => socket.write("welcome"),
  });
  try {
    for (const [credentials, refused] of [[client, false], [untrusted, true]] as const) {
      const c = await connectTls({
        host: "127.0.0.1",
        port: server.port,
        credentials,
        timeoutMs: 3000,
      });
      // TLS 1.3: the refusal arrives after the client's handshake, as connectTls saw it or on the first read.
      const alert = c.ok
        ? await new Promise((resolve) => {
          c.socket.once("error", (e) => resolve(e.message));
          c.socket.once("data", () => resolve(undefined));
          c.socket.once("close", () => resolve("closed"));
        })
        : c.tls?.alert;
      if (c.ok) c.socket.destroy();
      assert.equal(
        alert !== undefined,
        refused,
        `${credentials.certificate.subject}: ${JSON.stringify(alert)}`,
      );
    }
  } finally {
    await server.close();
  }
});
