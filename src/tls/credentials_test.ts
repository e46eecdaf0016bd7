import assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { CLIENT_AUTH, makeCert, SERVER_AUTH } from "../testing/certificates.ts";
import { connectTls } from "./connect.ts";
import { peerCertificates } from "./peer_certificates.ts";
import { credentialsFromPem } from "./credentials.ts";

async function chain() {
  const root = await makeCert({ name: "Test Root", ca: true });
  const intermediate = await makeCert({ name: "Test Intermediate", issuer: root, ca: true });
  const leaf = await makeCert({
    name: "localhost",
    issuer: intermediate,
    eku: [CLIENT_AUTH, SERVER_AUTH],
    san: [{ type: "ip", value: "127.0.0.1" }],
  });
  return { root, intermediate, leaf };
}

Deno.test("credentialsFromPem() gives one newline-terminated PEM block per certificate", async () => {
  const { intermediate, leaf } = await chain();
  const credentials = credentialsFromPem({
    cert: `${leaf.certPem}\n${intermediate.certPem}`,
    key: leaf.keyPem,
    source: "test",
  });
  const blocks = credentials.cert.match(
    /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g,
  );
  assert.equal(blocks?.length, 2);
  assert.equal(blocks.join(""), credentials.cert);
  assert.deepEqual(
    blocks.map((pem) => new X509Certificate(pem).subject),
    ["CN=localhost", "CN=Test Intermediate"],
  );
});

Deno.test("connectTls() presents our certificate with its intermediate to the peer", async () => {
  const { root, intermediate, leaf } = await chain();
  const credentials = credentialsFromPem({
    cert: `${leaf.certPem}\n${intermediate.certPem}`,
    key: leaf.keyPem,
    source: "test",
  });
  const received = Promise.withResolvers<string[]>();
  const server = tls.createServer({
    cert: credentials.cert,
    key: leaf.keyPem,
    requestCert: true,
    rejectUnauthorized: false,
  }, (socket) => {
    received.resolve(peerCertificates(socket).map((der) => new X509Certificate(der).subject));
    socket.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  try {
    const c = await connectTls({
      host: "127.0.0.1",
      port,
      credentials,
      timeoutMs: 5000,
      policy: { method: "chain", anchors: [root.der] },
    });
    assert.ok(c.ok);
    // Both directions: the server's chain reached us too, so it verifies to the root.
    assert.equal(c.peerChain.length, 2);
    assert.equal(c.tls.verification?.ok, true, String(c.tls.verification?.details));
    assert.deepEqual(await received.promise, ["CN=localhost", "CN=Test Intermediate"]);
    c.socket.destroy();
  } finally {
    await new Promise((r) => server.close(r));
  }
});

Deno.test("credentialsFromPem() says an encrypted key wants its password and a broken PEM block how to look at it", async () => {
  const { leaf } = await chain();
  const encrypted = createPrivateKey(leaf.keyPem).export({
    type: "pkcs8",
    format: "pem",
    cipher: "aes-256-cbc",
    passphrase: "secret",
  }) as string;
  // OpenSSL said "error:07880109:common libcrypto routines::interrupted or cancelled".
  assert.throws(
    () =>
      credentialsFromPem({ cert: leaf.certPem, key: encrypted, source: "c.pem", keySource: "k" }),
    /^CredentialsError: k: the private key is encrypted and no password opens it \(hint: decrypt it \(openssl pkey -in KEY/,
  );
  assert.ok(
    credentialsFromPem({ cert: leaf.certPem, key: encrypted, password: "secret", source: "c" }),
  );
  const broken = "-----BEGIN CERTIFICATE-----\n!!!garbage***\n-----END CERTIFICATE-----\n";
  assert.throws(
    () => credentialsFromPem({ cert: broken, key: leaf.keyPem, source: "c.pem" }),
    /^CredentialsError: c\.pem: not a PEM certificate: .* \(hint: .*openssl x509 -in FILE/,
  );
});
