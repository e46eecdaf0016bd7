/**
 * The OpenSSL stack in the server role, as a legacy DICOM server: TLS 1.0
 * only with TLS_RSA_WITH_AES_128_CBC_SHA, against `openssl s_client -tls1`
 * and against DCMTK echoscu `+px` with TLS 1.0 forced (a real C-ECHO); and a
 * client with no suite in common, refused with handshake_failure.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { serveEcho } from "../src/dimse/mod.ts";
import { acceptAssociation } from "../src/ul/mod.ts";
import {
  type OpenSslAcceptOptions,
  type OpenSslEngine,
  OpenSslError,
  type OpenSslHandshake,
  startOpenSsl,
} from "../src/tls/openssl/mod.ts";
import { LEGACY_OPENSSL_CONF } from "../src/testing/openssl_stack.ts";
import { havePeer, PEER_ENV } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const ignore = !havePeer("echoscu", "dcmtk") || !havePeer("node", "nodejs") ||
  !havePeer("openssl", "openssl");
const pki = ignore ? undefined : await testPki();
const file = (name: string, ext: "crt" | "key" | "chain") => pkiFile(pki!, name, ext);

type Served = OpenSslHandshake | OpenSslError;

/** Listens on a free port; each connection gets an OpenSSL handshake and, when it works, a Verification SCP. */
async function withServer(
  tls: Omit<OpenSslAcceptOptions, "ciphertext">,
  fn: (port: number, served: Promise<Served>[]) => Promise<void>,
) {
  const engine: OpenSslEngine = await startOpenSsl();
  const served: Promise<Served>[] = [];
  const echoes: Promise<unknown>[] = [];
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.on("error", () => {});
    const result = engine.accept({
      ciphertext: socket,
      cert: Deno.readTextFileSync(file("server-rsa", "chain")),
      key: Deno.readTextFileSync(file("server-rsa", "key")),
      timeoutMs: 5000,
      ...tls,
    }).catch((e: OpenSslError) => e);
    served.push(result);
    echoes.push(
      result.then((h) =>
        h instanceof OpenSslError
          ? undefined
          : acceptAssociation({ socket: h.plaintext, timeoutMs: 5000 })
            .then((a) => serveEcho(a, { timeoutMs: 5000 })).catch(() => undefined)
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await fn((server.address() as net.AddressInfo).port, served);
  } finally {
    await Promise.all(echoes);
    await new Promise((resolve) => server.close(resolve));
    await engine.close();
  }
}

async function output(command: string[], env?: Record<string, string>) {
  const out = await new Deno.Command(command[0], {
    args: command.slice(1),
    env,
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, log: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
}

const legacy = { minVersion: "TLSv1", maxVersion: "TLSv1", ciphers: ["AES128-SHA"] } as const;

Deno.test({
  name:
    "as a TLS 1.0-only server with AES128-SHA, the engine completes a handshake with openssl s_client -tls1",
  ignore,
  async fn() {
    await withServer({ ...legacy, ciphers: [...legacy.ciphers] }, async (port, served) => {
      const client = await output([
        "openssl",
        "s_client",
        "-connect",
        `127.0.0.1:${port}`,
        "-tls1",
        "-cipher",
        "AES128-SHA:@SECLEVEL=0",
        "-servername",
        "pacs.example",
      ]);
      assert.match(client.log, /Protocol\s*:\s*TLSv1\n/, client.log);
      assert.match(client.log, /Cipher\s*:\s*AES128-SHA/, client.log);
      const h = await served[0];
      assert.ok(!(h instanceof OpenSslError), String(h));
      assert.equal(h.protocol, "TLSv1");
      assert.equal(h.cipher.standardName, "TLS_RSA_WITH_AES_128_CBC_SHA");
      assert.equal(h.servername, "pacs.example");
      assert.equal(h.peerCertificate, false);
    });
  },
});

Deno.test({
  name:
    "as a TLS 1.0-only server, the engine serves a C-ECHO to echoscu +px forced to TLS 1.0 and gets its certificate",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-openssl-server-" });
    try {
      await Deno.writeTextFile(`${dir}/tls10.cnf`, `${LEGACY_OPENSSL_CONF}MaxProtocol = TLSv1\n`);
      await withServer(
        {
          ...legacy,
          ciphers: [...legacy.ciphers],
          requestCert: true,
          ca: [Deno.readTextFileSync(file("root", "crt"))],
        },
        async (port, served) => {
          const echo = await output([
            "echoscu",
            "-v",
            "+tls",
            file("client-rsa", "key"),
            file("client-rsa", "crt"),
            "+cf",
            file("root", "crt"),
            "+px",
            "-aec",
            "DICOMTLS",
            "127.0.0.1",
            String(port),
          ], { ...PEER_ENV, OPENSSL_CONF: `${dir}/tls10.cnf` });
          assert.match(echo.log, /Received Echo Response \(Success\)/, echo.log);
          const h = await served[0];
          assert.ok(!(h instanceof OpenSslError), String(h));
          assert.equal(h.protocol, "TLSv1");
          assert.equal(h.cipher.name, "AES128-SHA");
          assert.equal(h.peerCertificate, true);
          const leaf = await Deno.readTextFile(file("client-rsa", "crt"));
          const der = atob(leaf.replace(/-----[^-]+-----|\s/g, ""));
          assert.equal(String.fromCharCode(...h.peerChain[0]), der);
        },
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "a client with no suite in common is refused with handshake_failure: 'the peer offered no suite we accept'",
  ignore,
  async fn() {
    await withServer(
      { maxVersion: "TLSv1.2", ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA"] },
      async (port, served) => {
        const client = await output([
          "openssl",
          "s_client",
          "-connect",
          `127.0.0.1:${port}`,
          "-tls1_2",
          "-cipher",
          "ECDHE-RSA-AES128-GCM-SHA256",
        ]);
        assert.match(client.log, /alert handshake failure|alert number 40/, client.log);
        const e = await served[0];
        assert.ok(e instanceof OpenSslError, String(e));
        assert.equal(e.kind, "refused");
        assert.match(e.message, /the peer offered no suite we accept/);
        assert.deepEqual(e.alertSent, { name: "handshake_failure", code: 40 });
        assert.equal(e.alertReceived, undefined);
      },
    );
  },
});
