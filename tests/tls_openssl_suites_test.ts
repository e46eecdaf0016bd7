/**
 * The cipher-suite table (from Debian's `openssl ciphers`) against the
 * helper's OpenSSL (Node's own build): every suite asked alone is offered,
 * alone, in the ClientHello the helper writes; PSK and SRP suites need a
 * pre-shared key or SRP login the stack does not take, and are refused as
 * our own (local) problem. The table itself is checked against the openssl
 * binary's names.
 */
import assert from "node:assert/strict";
import { Duplex } from "node:stream";
import {
  CIPHER_SUITES,
  type CipherSuite,
  OpenSslError,
  startOpenSsl,
} from "../src/tls/openssl/mod.ts";
import { openssl } from "../src/testing/openssl.ts";
import { havePeer } from "../src/testing/peers.ts";

const ignore = !havePeer("node", "nodejs") || !havePeer("openssl", "openssl");

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

/** The cipher suite codes of a ClientHello record (RFC 8446 4.1.2). */
function offeredSuites(record: Uint8Array): number[] {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  let at = 5 + 4 + 2 + 32; // record header, handshake header, legacy_version, random
  at += 1 + record[at]; // legacy_session_id
  const length = view.getUint16(at);
  const codes: number[] = [];
  for (let i = 0; i < length; i += 2) codes.push(view.getUint16(at + 2 + i));
  // TLS_EMPTY_RENEGOTIATION_INFO_SCSV is signalling, not a suite.
  return codes.filter((c) => c !== 0x00ff);
}

const needsSecret = (s: CipherSuite) => /PSK|SRP/.test(s.kx);

Deno.test({
  name:
    "every suite of the table is offered alone when asked alone; PSK and SRP suites are a local error",
  ignore,
  async fn() {
    const engine = await startOpenSsl();
    try {
      for (const suite of CIPHER_SUITES) {
        const { transport, hello } = sink();
        const tls13 = suite.minVersion === "TLSv1.3";
        const result = engine.connect({
          ciphertext: transport,
          ...(tls13
            ? { minVersion: "TLSv1.3", ciphersuites: [suite.iana] }
            : { minVersion: "TLSv1", maxVersion: "TLSv1.2", ciphers: [suite.iana] }),
          timeoutMs: 5000,
        }).catch((e) => e);
        if (needsSecret(suite)) {
          const e = await result;
          assert.ok(e instanceof OpenSslError, `${suite.iana}: ${e}`);
          assert.equal(e.kind, "local", `${suite.iana}: ${e.message}`);
          continue;
        }
        const offered = await Promise.race([hello.then(offeredSuites), result]);
        assert.deepEqual(offered, [suite.code], `${suite.iana}: ${offered}`);
        transport.destroy();
        await result;
      }
    } finally {
      await engine.close();
    }
  },
});

Deno.test({
  name: "the table's names are the openssl binary's IANA and OpenSSL names",
  ignore,
  async fn() {
    const listed = (await openssl("ciphers", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0")).out;
    const pairs = new Map(
      listed.trim().split("\n").map((line) => line.split(/\s+-\s+|\s+/)).map((f) => [f[0], f[1]]),
    );
    for (const suite of CIPHER_SUITES.filter((s) => pairs.has(s.iana))) {
      assert.equal(pairs.get(suite.iana), suite.openssl, suite.iana);
    }
    assert.ok(pairs.size >= CIPHER_SUITES.length - 2, `openssl lists ${pairs.size} suites`);
  },
});
