/**
 * probeTarget against servers that answer too little to be judged: one
 * that closes (or resets) every connection, and TLS 1.3 servers whose signature
 * schemes a ServerHello does not show (our own rustls AE, openssl s_server
 * that answers with a HelloRetryRequest). Loopback ports 13050-13059.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { evaluateProfile, profileByName } from "../profiles/mod.ts";
import { renderProbeText } from "../report/profile_text.ts";
import { havePeer } from "../testing/peers.ts";
import { pkiFile, testPki } from "../testing/pki.ts";
import { startTestAe } from "../testing/reference_ae.ts";
import { waitUntil } from "../testing/wait.ts";
import { probeTarget } from "./probe_target.ts";
import { HelloScheduler } from "./scheduler.ts";
import { probeSignatureAlgorithms, TLS13_SIGNATURES_NOTE } from "./signature_algorithms.ts";

/** A loopback server on `port` that does `answer` with every connection. */
async function rawServer(port: number, answer: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    answer(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

for (
  const [port, how, answer] of [
    [13050, "closes every connection at once", (s: net.Socket) => s.end()],
    [
      13051,
      "resets every connection after the hello",
      (s: net.Socket) => s.once("data", () => s.resetAndDestroy()),
    ],
  ] as const
) {
  Deno.test(`probeTarget: a server that ${how} is not probed, no violation`, async () => {
    const server = await rawServer(port, answer);
    try {
      const report = await probeTarget({ host: "127.0.0.1", port, timeoutMs: 2000 });
      assert.equal(report.reached, false);
      assert.match(report.error ?? "", /^no TLS answer to any hello \(/);
      assert.deepEqual(report.versions, [], "no version was refused: none was answered");
      const verdict = evaluateProfile(report, profileByName("bcp195-nd")!);
      assert.equal(verdict.verdict, "undetermined");
      assert.deepEqual(verdict.violations, []);
      const text = renderProbeText(report, [verdict]);
      assert.match(text, /not probed: no TLS answer to any hello/);
      assert.doesNotMatch(text, /refused|violation/);
    } finally {
      await server.close();
    }
  });
}

Deno.test("probeSignatureAlgorithms in TLS 1.3 sends no hello and knows no scheme", async () => {
  const scheduler = new HelloScheduler({ host: "127.0.0.1", port: 9 });
  const s = await probeSignatureAlgorithms(scheduler, "TLSv1.3", [0x1301]);
  assert.equal(scheduler.stats().hellos, 0);
  assert.deepEqual(s.accepted, []);
  assert.equal(s.unknown.length, s.probed);
});

Deno.test("probeTarget against our rustls AE (EC P-256 key): TLS 1.3 signature schemes are not listed", async () => {
  // rustls answers every TLS 1.3 hello with a ServerHello and refuses a scheme its key cannot
  // make only after it: a ServerHello is no acceptance of ed25519 or rsa_pkcs1_md5.
  const ae = await startTestAe(await testPki(), { port: 13053 });
  try {
    const report = await probeTarget({ host: "127.0.0.1", port: 13053 });
    assert.equal(report.versions.find((v) => v.version === "TLSv1.3")?.status, "accepted");
    assert.ok(!report.signatureAlgorithms.some((s) => s.version === "TLSv1.3"));
    assert.ok(report.notes.includes(TLS13_SIGNATURES_NOTE), report.notes.join("\n"));
  } finally {
    await ae.close();
  }
});

Deno.test({
  name:
    "probeTarget against openssl s_server TLS 1.3 on P-384 (HelloRetryRequest): no scheme counted refused",
  ignore: !havePeer("openssl", "openssl"),
  async fn() {
    const pki = await testPki();
    const server = new Deno.Command("openssl", {
      args: [
        "s_server",
        "-accept",
        "127.0.0.1:13054",
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
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      await waitUntil(async () => {
        try {
          (await Deno.connect({ hostname: "127.0.0.1", port: 13054 })).close();
          return true;
        } catch {
          return false;
        }
      }, 10_000);
      const report = await probeTarget({ host: "127.0.0.1", port: 13054 });
      const tls13 = report.versions.find((v) => v.version === "TLSv1.3")!;
      assert.equal(tls13.status, "accepted");
      assert.match(tls13.answer, /^HelloRetryRequest TLSv1\.3 TLS_CHACHA20_POLY1305_SHA256/);
      assert.ok(!report.signatureAlgorithms.some((s) => s.version === "TLSv1.3"));
      assert.ok(report.notes.includes(TLS13_SIGNATURES_NOTE), report.notes.join("\n"));
    } finally {
      server.kill();
      await server.status;
    }
  },
});
