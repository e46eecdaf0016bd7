/**
 * probeTarget against openssl s_server that answers TLS 1.3 with a
 * HelloRetryRequest: a TLS 1.3 server whose signature schemes no ServerHello
 * shows. A real peer process, so here rather than beside the prober
 * (docs/architecture.md: unit tests start no process). Loopback, free port.
 */
import assert from "node:assert/strict";
import { probeTarget } from "../src/probe/mod.ts";
import { TLS13_SIGNATURES_NOTE } from "../src/probe/signature_algorithms.ts";
import { freePort, startProcess } from "../src/process/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

Deno.test({
  name:
    "probeTarget against openssl s_server TLS 1.3 on P-384 (HelloRetryRequest): no scheme counted refused",
  ignore: !havePeer("openssl", "openssl"),
  async fn() {
    const pki = await testPki();
    const port = freePort();
    const server = await startProcess({
      command: [
        "openssl",
        "s_server",
        "-accept",
        `127.0.0.1:${port}`,
        "-tls1_3",
        "-ciphersuites",
        "TLS_CHACHA20_POLY1305_SHA256",
        "-groups",
        "P-384",
        "-cert",
        pkiFile(pki, "server-rsa", "crt"),
        "-key",
        pkiFile(pki, "server-rsa", "key"),
        "-quiet",
        "-naccept",
        "1000",
      ],
      ready: { port, timeoutMs: 10_000 },
    });
    try {
      const report = await probeTarget({ host: "127.0.0.1", port });
      const tls13 = report.versions.find((v) => v.version === "TLSv1.3")!;
      assert.equal(tls13.status, "accepted");
      assert.match(tls13.answer, /^HelloRetryRequest TLSv1\.3 TLS_CHACHA20_POLY1305_SHA256/);
      assert.ok(!report.signatureAlgorithms.some((s) => s.version === "TLSv1.3"));
      assert.ok(report.notes.includes(TLS13_SIGNATURES_NOTE), report.notes.join("\n"));
    } finally {
      await server.stop({ graceMs: 500 });
    }
  },
});
