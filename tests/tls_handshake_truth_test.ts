/**
 * Handshake truth: a verdict on the TLS stage rests on what was on the wire.
 * A peer that never sent a TLS record did not refuse anything in TLS: it is
 * `not-tls` (nothing, or what its bytes were), or a timeout saying what we
 * waited for; a refusal needs a TLS record, and says how far it got.
 */
import assert from "node:assert/strict";
import { connectTls } from "../src/tls/mod.ts";
import { runScu } from "../src/scu/mod.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { freePort, startProcess } from "../src/process/mod.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { startPlainStorescp } from "../src/testing/plain_storescp.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { startListener } from "../src/testing/listeners.ts";

const hasStorescp = havePeer("storescp", "dcmtk");
const hasOpenssl = havePeer("openssl", "openssl");
const pki = await testPki();
// TLS 1.2 with storescp's default profile needs an RSA server key (no ECDHE-ECDSA suite in +py).
const rsa = await testPki("rsa");
const host = "127.0.0.1";

Deno.test("a listener that closes at once is not-tls: the peer sent nothing", async () => {
  const l = await startListener("close");
  try {
    const c = await connectTls({ host, port: l.port, timeoutMs: 3000 });
    assert.equal(c.ok, false);
    assert.equal(c.tls?.status, "not-tls");
    assert.equal(c.tls?.peerSent, "nothing");
    assert.equal(c.tls?.alert, undefined);
  } finally {
    await l.close();
  }
});

Deno.test("a listener that resets is not-tls: the peer sent nothing", async () => {
  const l = await startListener("reset");
  try {
    const c = await connectTls({ host, port: l.port, timeoutMs: 3000 });
    assert.equal(c.tls?.status, "not-tls");
    assert.equal(c.tls?.peerSent, "nothing");
    assert.match(c.tls?.error ?? "", /reset the connection without sending a byte/);
  } finally {
    await l.close();
  }
});

Deno.test("a listener that never answers is a timeout waiting for the peer's first byte", async () => {
  const l = await startListener("silent");
  try {
    const c = await connectTls({ host, port: l.port, timeoutMs: 500 });
    assert.equal(c.tls?.status, "timeout");
    assert.equal(c.tls?.waitingFor, "the peer's first byte (its ServerHello)");
  } finally {
    await l.close();
  }
});

Deno.test("an HTTP server is not-tls, with its status line decoded", async () => {
  const l = await startListener("http");
  try {
    const c = await connectTls({ host, port: l.port, timeoutMs: 3000 });
    assert.equal(c.tls?.status, "not-tls");
    assert.equal(c.tls?.peerSent, "non-tls");
    assert.equal(c.tls?.firstBytes?.kind, "http");
    assert.equal(c.tls?.firstBytes?.startLine, "HTTP/1.1 400 Bad Request");
  } finally {
    await l.close();
  }
});

// Answers to our ClientHello that are TLS, or its start, but no refusal: each is our stack's
// refusal or a slow peer, never the peer's alert or close (bytes as an adversarial tester sent).
const answers: [string, number[], (tls: Record<string, unknown>) => void][] = [
  ["one application_data record", [0x17, 3, 3, 0, 5, 104, 101, 108, 108, 111], (tls) => {
    assert.equal(tls.status, "error");
    assert.equal(tls.alert, undefined);
    assert.match(String(tls.error), /^our TLS stack refused the peer's answer: /);
  }],
  ["a ServerHello header declaring 16 MB", [0x16, 3, 3, 0, 4, 2, 0xff, 0xff, 0xff], (tls) => {
    assert.equal(tls.status, "error");
    assert.equal(tls.closedWithoutAlert, undefined);
    assert.match(String(tls.error), /^our TLS stack refused the peer's answer: /);
  }],
  ["a record header and 10 of its 1,000 bytes", [0x16, 3, 3, 3, 0xe8, ...Array(10).fill(2)], (
    tls,
  ) => {
    assert.equal(tls.status, "timeout");
    assert.equal(tls.waitingFor, "the rest of the peer's first TLS record");
  }],
  ["two bytes of a record header", [0x16, 3], (tls) => {
    assert.equal(tls.status, "timeout");
    assert.equal(tls.waitingFor, "the rest of the peer's first TLS record");
  }],
];
for (const [what, bytes, check] of answers) {
  Deno.test(`a peer that answers with ${what} and waits refused nothing`, async () => {
    const l = await startListener({ answer: new Uint8Array(bytes) });
    try {
      const c = await connectTls({ host, port: l.port, timeoutMs: 1000 });
      assert.equal(c.ok, false);
      check(c.tls as unknown as Record<string, unknown>);
    } finally {
      await l.close();
    }
  });
}

Deno.test({
  name: "a plain storescp (no +tls) is not-tls: it closes without a byte",
  ignore: !hasStorescp,
  async fn() {
    const scp = await startPlainStorescp();
    try {
      const c = await connectTls({ host, port: scp.port, timeoutMs: 3000 });
      assert.equal(c.tls?.status, "not-tls");
      assert.equal(c.tls?.peerSent, "nothing");
    } finally {
      await scp.stop();
    }
  },
});

Deno.test({
  name: "openssl s_server with no suite in common refuses with an alert after our ClientHello",
  ignore: !hasOpenssl,
  async fn() {
    const port = freePort();
    const server = await startProcess({
      command: [
        "openssl",
        "s_server",
        "-accept",
        String(port),
        "-tls1_2",
        "-cipher",
        "AES128-SHA",
        "-cert",
        pkiFile(pki, "server", "crt"),
        "-key",
        pkiFile(pki, "server", "key"),
        "-quiet",
      ],
      ready: { port },
    });
    try {
      const c = await connectTls({ host, port, timeoutMs: 3000 });
      assert.equal(c.tls?.status, "refused-by-peer");
      assert.equal(c.tls?.after, "client-hello");
      assert.equal(c.tls?.alert?.name, "handshake_failure");
    } finally {
      await server.stop();
    }
  },
});

for (const version of ["TLSv1.2", "TLSv1.3"] as const) {
  Deno.test({
    name: `storescp +tls -rc refuses an untrusted client over ${version} with unknown_ca`,
    ignore: !hasStorescp,
    async fn() {
      // storescp trusts the standard root only: the RSA PKI's client is from an unknown CA.
      const scp = await startStorescp({
        cert: pkiFile(rsa, "server", "chain"),
        key: pkiFile(rsa, "server", "key"),
        trust: [pkiFile(pki, "root", "crt")],
      });
      try {
        const outcome = await runScu({
          host,
          port: scp.port,
          callingAe: "HARNESS",
          calledAe: "STORESCP",
          credentials: await loadCredentials({
            cert: pkiFile(rsa, "client", "crt"),
            key: pkiFile(rsa, "client", "key"),
          }),
          policy: { method: "none" },
          minVersion: version,
          maxVersion: version,
          timeoutMs: 5000,
        });
        assert.equal(outcome.tls?.status, "refused-by-peer");
        assert.equal(outcome.tls?.alert?.name, "unknown_ca");
        // TLS 1.2: the server refuses after our Certificate; TLS 1.3: after our handshake.
        assert.equal(
          outcome.tls?.after,
          version === "TLSv1.2" ? "our-certificate" : "handshake-complete",
        );
        assert.equal(outcome.wire?.peerSpokeTls, true);
        assert.equal(outcome.wire?.serverHello?.version.name, version);
      } finally {
        await scp.stop();
      }
    },
  });
}
