/**
 * probeTarget against servers that answer too little to be judged: one
 * that closes (or resets) every connection, one that sends a bare TLS 1.2
 * ServerHello and nothing after it, and TLS 1.3 servers whose signature
 * schemes a ServerHello does not show (our own rustls AE; openssl s_server's
 * HelloRetryRequest is in tests/probe_hello_retry_test.ts). Loopback, free ports.
 */
import assert from "node:assert/strict";
import { evaluateProfile, profileByName } from "../profiles/mod.ts";
import { renderProbeText } from "../report/profile_text.ts";
import { startListener } from "../testing/listeners.ts";
import { testPki } from "../testing/pki.ts";
import { startTestAe } from "../testing/reference_ae.ts";
import { serverHelloRecord } from "../testing/tls_records.ts";
import { probeTarget } from "./probe_target.ts";
import { HelloScheduler } from "./scheduler.ts";
import { probeSignatureAlgorithms, TLS13_SIGNATURES_NOTE } from "./signature_algorithms.ts";

for (
  const [how, behaviour] of [
    ["closes every connection at once", "close"],
    ["resets every connection after the hello", "reset"],
  ] as const
) {
  Deno.test(`probeTarget: a server that ${how} is not probed, no violation`, async () => {
    const server = await startListener(behaviour);
    try {
      const report = await probeTarget({ host: "127.0.0.1", port: server.port, timeoutMs: 2000 });
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

Deno.test("probeTarget: a bare TLS 1.2 ServerHello leaves curves and schemes unknown, not refused", async () => {
  // A TLS 1.2 ServerHello choosing TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, no extensions.
  const server = await startListener({
    respond: (_first, s) => s.end(serverHelloRecord({ suite: 0xc02f })),
  });
  try {
    const report = await probeTarget({ host: "127.0.0.1", port: server.port, timeoutMs: 2000 });
    const status = Object.fromEntries(report.versions.map((v) => [v.version, v.status]));
    assert.equal(status["TLSv1.2"], "accepted");
    // Its TLS 1.2 suite answers a hello that offered only TLS 1.3 suites: no answer to it.
    assert.equal(status["TLSv1.3"], "unknown");
    const curves = report.groups.find((g) => g.version === "TLSv1.2")!;
    const schemes = report.signatureAlgorithms.find((g) => g.version === "TLSv1.2")!;
    for (const p of [curves, schemes]) {
      assert.deepEqual(p.accepted, []);
      assert.equal(p.unknown.length, p.probed, "every one unknown");
      assert.ok(p.unknown.every((u) => u.why === "no ServerKeyExchange"));
    }
    assert.ok(!report.notes.some((n) => n.includes("only TLS 1.3")), report.notes.join("\n"));
    assert.ok(
      report.notes.includes(
        "no certificate chain read: TLSv1.2 accepted, but no answer to its suite hellos carried a Certificate message",
      ),
      report.notes.join("\n"),
    );
    const text = renderProbeText(report, []);
    assert.match(text, /ECDHE curves in TLS 1\.2: unknown \(no ServerKeyExchange\) \(of 41\)/);
    assert.match(text, /Signature schemes in TLS 1\.2: unknown \(no ServerKeyExchange\) \(of 24\)/);
  } finally {
    await server.close();
  }
});

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
  const ae = await startTestAe(await testPki());
  try {
    const report = await probeTarget({ host: "127.0.0.1", port: ae.port });
    assert.equal(report.versions.find((v) => v.version === "TLSv1.3")?.status, "accepted");
    assert.ok(!report.signatureAlgorithms.some((s) => s.version === "TLSv1.3"));
    assert.ok(report.notes.includes(TLS13_SIGNATURES_NOTE), report.notes.join("\n"));
  } finally {
    await ae.close();
  }
});
