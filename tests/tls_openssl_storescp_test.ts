/**
 * The OpenSSL stack as client against DCMTK storescp: weak client
 * certificates (512/1024-bit RSA) that rustls refuses to load, TLS 1.0/1.1
 * with RSA and ECDSA suites against a legacy `+px`, the default profile's
 * protocol_version refusal, and DHE with the DH key size reported. Every
 * completed handshake carries a real association and C-ECHO.
 */
import assert from "node:assert/strict";
import { type OpenSslEngine, OpenSslError, startOpenSsl } from "../src/tls/openssl/mod.ts";
import { WireTap } from "../src/tls/wire/mod.ts";
import type { Duplex } from "node:stream";
import { cEcho } from "../src/dimse/mod.ts";
import { openssl } from "../src/testing/openssl.ts";
import { LEGACY_OPENSSL_CONF, tcp, weakRsaCertificate } from "../src/testing/openssl_stack.ts";
import {
  IMPLICIT_VR_LITTLE_ENDIAN,
  requestAssociation,
  VERIFICATION_SOP_CLASS,
} from "../src/ul/mod.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const ignore = !havePeer("storescp", "dcmtk") || !havePeer("node", "nodejs");
const pki = ignore ? undefined : await testPki();
const file = (name: string, ext: "crt" | "key" | "chain") => pkiFile(pki!, name, ext);
const text = (path: string) => Deno.readTextFileSync(path);

/** Associates (Verification), sends one C-ECHO and releases over a plaintext side; the status name. */
async function echoOver(plaintext: Duplex): Promise<string> {
  const association = await requestAssociation({
    socket: plaintext,
    callingAe: "DICOMTLS",
    calledAe: "STORESCP",
    presentationContexts: [{
      abstractSyntax: VERIFICATION_SOP_CLASS,
      transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
    }],
    timeoutMs: 5000,
  });
  const status = await cEcho(association, { timeoutMs: 5000 });
  await association.release({ timeoutMs: 5000 });
  return status.name;
}

async function withScp(
  options: { server?: string; flags?: string[]; legacy?: boolean },
  fn: (port: number, engine: OpenSslEngine, dir: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-openssl-scp-" });
  await Deno.writeTextFile(`${dir}/tls10.cnf`, LEGACY_OPENSSL_CONF);
  const server = options.server ?? "server-rsa";
  const scp = await startStorescp({
    cert: file(server, "chain"),
    key: file(server, "key"),
    trust: [file("root", "crt")],
    flags: options.flags,
    env: options.legacy ? { OPENSSL_CONF: `${dir}/tls10.cnf` } : {},
  });
  const engine = await startOpenSsl();
  try {
    await fn(scp.port, engine, dir);
  } finally {
    await engine.close();
    await scp.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

const clientRsa = () => ({
  cert: text(file("client-rsa", "crt")),
  key: text(file("client-rsa", "key")),
});

/** TLS_RSA_WITH_AES_128_CBC_SHA alone, at exactly `version`, with the RSA client certificate. */
async function legacyRsa(engine: OpenSslEngine, port: number, version: "TLSv1" | "TLSv1.1") {
  return await engine.connect({
    ciphertext: await tcp(port),
    ...clientRsa(),
    minVersion: version,
    maxVersion: version,
    ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA"],
    timeoutMs: 5000,
  });
}

Deno.test({
  name: "a 512-bit and a 1024-bit RSA client certificate are presented to storescp -ic and echo",
  ignore,
  async fn() {
    await withScp({ flags: ["-ic"] }, async (port, engine, dir) => {
      const weak512 = await weakRsaCertificate(dir, "client-512", 512);
      const certificates = {
        "RSA 512": { cert: text(weak512.cert), key: text(weak512.key) },
        "RSA 1024 (PKI client-weak-key)": {
          cert: text(file("client-weak-key", "crt")),
          key: text(file("client-weak-key", "key")),
        },
      };
      for (const [what, credentials] of Object.entries(certificates)) {
        const h = await engine.connect({
          ciphertext: await tcp(port),
          ...credentials,
          maxVersion: "TLSv1.2",
          timeoutMs: 5000,
        });
        assert.equal(h.protocol, "TLSv1.2", what);
        assert.equal(await echoOver(h.plaintext), "Success", what);
      }
    });
  },
});

Deno.test({
  name:
    "storescp -rc trusting a 512-bit certificate echoes over TLS 1.2; over TLS 1.3 its certificate_required comes as a peer alert after the handshake",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-openssl-512-" });
    try {
      const weak = await weakRsaCertificate(dir, "client-512", 512);
      const scp = await startStorescp({
        cert: file("server-rsa", "chain"),
        key: file("server-rsa", "key"),
        trust: [file("root", "crt"), weak.cert],
      });
      const engine = await startOpenSsl();
      try {
        const options = { cert: text(weak.cert), key: text(weak.key), timeoutMs: 5000 };
        const tls12 = await engine.connect({
          ciphertext: await tcp(scp.port),
          ...options,
          maxVersion: "TLSv1.2",
        });
        assert.equal(await echoOver(tls12.plaintext), "Success");
        // TLS 1.3 signs with RSA-PSS, which a 512-bit key cannot do for SHA-256
        // (RFC 8017 9.1.1 needs 2 * 32 + 2 bytes): OpenSSL sends no certificate.
        const tls13 = await engine.connect({
          ciphertext: await tcp(scp.port),
          ...options,
          minVersion: "TLSv1.3",
        });
        const error = await new Promise<unknown>((resolve) => {
          tls13.plaintext.once("error", resolve);
          tls13.plaintext.once("end", () => resolve("end without an error"));
          tls13.plaintext.resume();
        });
        assert.ok(error instanceof OpenSslError, String(error));
        assert.equal(error.kind, "peer-alert");
        assert.equal(error.phase, "after-handshake");
        assert.deepEqual(error.alertReceived, { name: "certificate_required", code: 116 });
      } finally {
        await engine.close();
        await scp.stop();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "storescp +px with TLS 1.0 allowed echoes over TLS 1.0 and 1.1 with TLS_RSA_WITH_AES_128_CBC_SHA",
  ignore,
  async fn() {
    await withScp({ flags: ["+px"], legacy: true }, async (port, engine) => {
      for (const version of ["TLSv1", "TLSv1.1"] as const) {
        const h = await legacyRsa(engine, port, version);
        assert.equal(h.protocol, version);
        assert.deepEqual(h.cipher, {
          standardName: "TLS_RSA_WITH_AES_128_CBC_SHA",
          name: "AES128-SHA",
        });
        assert.equal(h.ephemeralKey, undefined); // RSA key exchange
        assert.equal(h.peerChain.length, 2); // server and intermediate, as storescp sends them
        assert.equal(await echoOver(h.plaintext), "Success", version);
      }
    });
  },
});

Deno.test({
  name:
    "through src/tls/wire's WireTap, a TLS 1.0 conversation's ClientHello and ServerHello are observed",
  ignore,
  async fn() {
    await withScp({ flags: ["+px"], legacy: true }, async (port, engine) => {
      const tap = new WireTap({ socket: await tcp(port), role: "client" });
      const h = await engine.connect({
        ciphertext: tap,
        ...clientRsa(),
        minVersion: "TLSv1",
        maxVersion: "TLSv1",
        ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA"],
        timeoutMs: 5000,
      });
      assert.equal(await echoOver(h.plaintext), "Success");
      if (!tap.closed) await new Promise((resolve) => tap.once("close", resolve));
      const seen = tap.observation();
      // A TLS 1.0 hello has no supported_versions: its legacy_version is its highest.
      assert.equal(seen.clientHello?.legacyVersion.name, "TLSv1");
      assert.equal(seen.clientHello?.supportedVersions, undefined);
      assert.deepEqual(
        seen.clientHello?.cipherSuites.map((s) => s.name).filter((n) => !n.endsWith("_SCSV")),
        ["TLS_RSA_WITH_AES_128_CBC_SHA"],
      );
      assert.equal(seen.serverHello?.version.name, "TLSv1");
      assert.equal(seen.clientCertificates?.length, 1); // TLS 1.0: in the clear
    });
  },
});

Deno.test({
  name: "storescp +px with an EC key and +cs ECDHE-ECDSA echoes over TLS 1.0 with that suite",
  ignore,
  async fn() {
    await withScp(
      {
        server: "server",
        flags: ["+px", "+cs", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"],
        legacy: true,
      },
      async (port, engine) => {
        const h = await engine.connect({
          ciphertext: await tcp(port),
          cert: text(file("client", "crt")),
          key: text(file("client", "key")),
          minVersion: "TLSv1",
          maxVersion: "TLSv1",
          ciphers: ["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"],
          timeoutMs: 5000,
        });
        assert.equal(h.protocol, "TLSv1");
        assert.equal(h.cipher.standardName, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        assert.equal(h.ephemeralKey?.type, "ECDH");
        assert.equal(await echoOver(h.plaintext), "Success");
      },
    );
  },
});

Deno.test({
  name: "storescp's default profile refuses TLS 1.0 and 1.1 with protocol_version, named",
  ignore,
  async fn() {
    await withScp({}, async (port, engine) => {
      for (const version of ["TLSv1", "TLSv1.1"] as const) {
        const error = await legacyRsa(engine, port, version).then(() => undefined, (e) => e);
        assert.ok(error instanceof OpenSslError, String(error));
        assert.equal(error.kind, "peer-alert", error.message);
        assert.deepEqual(error.alertReceived, { name: "protocol_version", code: 70 });
        assert.match(error.message, /protocol_version \(70\)/);
      }
    });
  },
});

Deno.test({
  name:
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 alone against storescp +px --dhparam 2048 echoes and reports the DH key size",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-dhparam-" });
    try {
      // RFC 7919 ffdhe2048: instant, where generating 2048-bit parameters takes seconds.
      const made = await openssl(
        "genpkey",
        "-genparam",
        "-algorithm",
        "DH",
        "-pkeyopt",
        "group:ffdhe2048",
        "-out",
        `${dir}/dh2048.pem`,
      );
      assert.equal(made.code, 0, made.out);
      await withScp({ flags: ["+px", "--dhparam", `${dir}/dh2048.pem`] }, async (port, engine) => {
        const h = await engine.connect({
          ciphertext: await tcp(port),
          ...clientRsa(),
          maxVersion: "TLSv1.2",
          ciphers: ["TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"],
          timeoutMs: 5000,
        });
        assert.equal(h.protocol, "TLSv1.2");
        assert.equal(h.cipher.standardName, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
        assert.deepEqual(h.ephemeralKey, { type: "DH", size: 2048 });
        assert.equal(await echoOver(h.plaintext), "Success");
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
