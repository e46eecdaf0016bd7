/**
 * Every cipher suite OpenSSL has a name for (src/tls/wire's table), asked
 * alone of the OpenSSL stack: the ClientHello the helper writes offers
 * exactly that suite, or the engine says, as our own (local) problem, that
 * this OpenSSL build does not have it; nothing is offered silently instead.
 * PSK and SRP suites need a secret the stack does not take: input errors.
 */
import assert from "node:assert/strict";
import { Duplex } from "node:stream";
import { havePeer } from "../src/testing/peers.ts";
import { OpenSslError, startOpenSsl } from "../src/tls/openssl/mod.ts";
import { CIPHER_SUITES, cipherSuite } from "../src/tls/wire/mod.ts";

const ignore = !havePeer("node", "nodejs");

/** A transport that keeps what the client writes first (its ClientHello) and answers nothing. */
function sink() {
  let resolveHello: (bytes: Uint8Array) => void;
  const hello = new Promise<Uint8Array>((resolve) => resolveHello = resolve);
  const transport = new Duplex({
    read() {},
    write(chunk: Uint8Array, _encoding, callback) {
      resolveHello(chunk);
      callback();
    },
  });
  return { transport, hello };
}

/** The cipher suite codes of a ClientHello record (RFC 8446 4.1.2), signalling values left out. */
function offeredSuites(record: Uint8Array): number[] {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  let at = 5 + 4 + 2 + 32; // record header, handshake header, legacy_version, random
  at += 1 + record[at]; // legacy_session_id
  const length = view.getUint16(at);
  const codes: number[] = [];
  for (let i = 0; i < length; i += 2) codes.push(view.getUint16(at + 2 + i));
  return codes.filter((c) => !cipherSuite(c)?.signaling);
}

Deno.test({
  name:
    "every suite OpenSSL names is offered alone when asked alone, or refused as not in this build",
  ignore,
  async fn() {
    const engine = await startOpenSsl();
    const offered: string[] = [];
    const missing: string[] = [];
    try {
      for (const suite of CIPHER_SUITES) {
        // PSK, SRP and TLS_NULL_WITH_NULL_NULL are input errors (see options_test.ts).
        if (!suite.openssl || suite.signaling || /PSK|SRP/.test(suite.kx) || suite.code === 0) {
          continue;
        }
        const name = suite.iana ?? suite.openssl;
        const { transport, hello } = sink();
        const result = engine.connect({
          ciphertext: transport,
          ...(suite.tls13
            ? { minVersion: "TLSv1.3", ciphersuites: [name] }
            : { minVersion: "TLSv1", maxVersion: "TLSv1.2", ciphers: [name] }),
          timeoutMs: 5000,
        }).catch((e) => e);
        const first = await Promise.race([hello.then(offeredSuites), result]);
        if (first instanceof OpenSslError) {
          assert.equal(first.kind, "local", `${name}: ${first.message}`);
          assert.match(first.message, /is not available in this OpenSSL/, name);
          missing.push(suite.openssl);
        } else {
          assert.deepEqual(first, [suite.code], `${name}: offered ${first}`);
          offered.push(suite.openssl);
          transport.destroy();
          await result;
        }
      }
      console.log(`offered alone: ${offered.length}; not in this OpenSSL: ${missing.length}`);
      // What this stack is for, and what Node's OpenSSL 3.0 leaves out.
      for (
        const name of ["AES128-SHA", "DHE-RSA-AES128-GCM-SHA256", "CAMELLIA128-SHA", "NULL-SHA"]
      ) {
        assert.ok(offered.includes(name), `${name} should be offered`);
      }
      for (const name of ["DES-CBC3-SHA", "RC4-SHA", "EXP-RC4-MD5"]) {
        assert.ok(missing.includes(name), `${name} should be missing`);
      }
    } finally {
      await engine.close();
    }
  },
});

Deno.test({
  name: "PSK and SRP suites are refused before anything is sent: they need a secret",
  ignore,
  async fn() {
    const engine = await startOpenSsl();
    try {
      for (const name of ["TLS_PSK_WITH_AES_128_GCM_SHA256", "TLS_SRP_SHA_WITH_AES_128_CBC_SHA"]) {
        const { transport } = sink();
        const e = await engine.connect({ ciphertext: transport, ciphers: [name] }).catch((e) => e);
        assert.ok(e instanceof OpenSslError, String(e));
        assert.equal(e.kind, "local");
        assert.equal(e.phase, "input");
      }
    } finally {
      await engine.close();
    }
  },
});

Deno.test({
  name:
    "a known group or signature algorithm this OpenSSL lacks is refused by its name, before anything is sent",
  ignore,
  async fn() {
    const engine = await startOpenSsl();
    try {
      // GOST's GC256A group and MD5 signatures: IANA names Node's OpenSSL 3.0 does not take.
      const asked: [{ groups?: string[]; sigalgs?: string[] }, string][] = [
        [{ groups: ["P-256", "GC256A"] }, "GC256A"],
        [{ sigalgs: ["rsa_pss_rsae_sha256", "rsa_pkcs1_md5"] }, "RSA\\+MD5"],
      ];
      for (const [options, name] of asked) {
        const { transport, hello } = sink();
        const result = engine.connect({ ciphertext: transport, ...options, timeoutMs: 5000 })
          .catch((e) => e);
        const e = await Promise.race([hello.then(() => "a ClientHello was sent"), result]);
        assert.ok(e instanceof OpenSslError, String(e));
        assert.equal(e.kind, "local");
        assert.match(e.message, new RegExp(`${name} is not available in this OpenSSL`));
        transport.destroy();
      }
    } finally {
      await engine.close();
    }
  },
});
