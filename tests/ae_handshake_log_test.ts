/**
 * The reference AE logs the truth of every handshake that did not
 * complete: our verifier's reasons when our stack refused the client's
 * certificate (not "socket hang up"), the client's alert by name, and what
 * a client that does not speak TLS sent (plain DICOM: "the client sent a
 * DICOM A-ASSOCIATE-RQ ... to the TLS port", with its AE titles).
 */
import assert from "node:assert/strict";
import net from "node:net";
import { toJson } from "../src/text/mod.ts";
import { encodePdu, IMPLICIT_VR_LITTLE_ENDIAN, VERIFICATION_SOP_CLASS } from "../src/ul/mod.ts";
import { runScu } from "../src/scu/mod.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { startTestAe, waitForLogs } from "../src/testing/reference_ae.ts";

const pki = await testPki();
const hasOpenssl = havePeer("openssl", "openssl");

const echo = async (port: number, options: { client?: string; max?: "TLSv1.2"; plain?: boolean }) =>
  await runScu({
    host: "127.0.0.1",
    port,
    callingAe: "MODALITY",
    calledAe: "REFAE",
    ...(options.client
      ? {
        credentials: await loadCredentials({
          cert: pkiFile(pki, options.client, "crt"),
          key: pkiFile(pki, options.client, "key"),
        }),
      }
      : {}),
    policy: { method: "none" },
    ...(options.max ? { maxVersion: options.max } : {}),
    ...(options.plain ? { plain: true } : {}),
    timeoutMs: 5000,
  });

Deno.test("an untrusted client certificate over TLS 1.2 is logged with our verifier's reasons", async () => {
  const ae = await startTestAe(pki);
  try {
    await echo(ae.port, { client: "client-untrusted", max: "TLSv1.2" });
    await waitForLogs(ae, 1);
    const [log] = ae.logs;
    assert.equal(log.result, "tls-refused");
    assert.equal(log.tls?.status, "refused-by-us");
    assert.deepEqual(log.verification?.reasons, ["unknown-issuer"]);
    assert.match(
      log.detail ?? "",
      /^our TLS stack refused the client's certificate: unknown-issuer: /,
    );
  } finally {
    await ae.close();
  }
});

Deno.test("an untrusted client certificate over TLS 1.3 says its reasons travelled encrypted", async () => {
  const ae = await startTestAe(pki);
  try {
    await echo(ae.port, { client: "client-untrusted" });
    await waitForLogs(ae, 1);
    const [log] = ae.logs;
    assert.equal(log.tls?.status, "refused-by-us");
    assert.match(log.detail ?? "", /travelled encrypted \(TLS 1\.3\)/);
  } finally {
    await ae.close();
  }
});

Deno.test("plain DICOM sent to the TLS port is logged as not-tls with the A-ASSOCIATE-RQ's AE titles", async () => {
  const ae = await startTestAe(pki);
  try {
    const outcome = await echo(ae.port, { plain: true });
    assert.notEqual(outcome.association?.result, "accepted");
    await waitForLogs(ae, 1);
    const [log] = ae.logs;
    assert.equal(log.tls?.status, "not-tls");
    assert.equal(log.tls?.firstBytes?.pdu?.type, "A-ASSOCIATE-RQ");
    assert.deepEqual([log.callingAe, log.calledAe], ["MODALITY", "REFAE"]);
    assert.match(log.detail ?? "", /plain DICOM to the TLS port/);
  } finally {
    await ae.close();
  }
});

Deno.test("plain DICOM to the TLS port: the not-tls line's AE titles are the bytes sent, escaped once", async () => {
  const ae = await startTestAe(pki);
  try {
    const socket = net.connect({ host: "127.0.0.1", port: ae.port });
    socket.on("error", () => {});
    socket.write(encodePdu({
      type: "A-ASSOCIATE-RQ",
      protocolVersion: 1,
      calledAe: "REFAE",
      callingAe: "EV\x1b[31mIL\x9b",
      applicationContext: "1.2.840.10008.3.1.1.1",
      presentationContexts: [{
        id: 1,
        abstractSyntax: VERIFICATION_SOP_CLASS,
        transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
      }],
      userInformation: { maxPduLength: 16_384, implementationClassUid: "1.2.3" },
    }));
    await waitForLogs(ae, 1);
    socket.destroy();
    const [log] = ae.logs;
    assert.equal(log.tls?.status, "not-tls");
    // Before, the classifier's \xNN escapes were escaped again: "EV\\x1b[31mIL\\x9b" after parsing.
    assert.equal(log.callingAe, "EV\x1b[31mIL\x9b");
    const line = toJson(log);
    assert.ok(line.includes(String.raw`"callingAe":"EV\u001b[31mIL\u009b"`), line);
    assert.equal(JSON.parse(line).callingAe, "EV\x1b[31mIL\x9b");
    // The human-readable detail stays printable.
    // deno-lint-ignore no-control-regex
    assert.ok(!/[\x1b\x9b]/.test(log.detail ?? ""), String(log.detail));
  } finally {
    await ae.close();
  }
});

/** `openssl s_client` to `port`, stdin closed: it closes right after its side of the handshake. */
async function sClient(port: number, args: string[]): Promise<void> {
  await new Deno.Command("openssl", {
    args: ["s_client", "-connect", `127.0.0.1:${port}`, ...args],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).output();
}

for (const version of ["-tls1_2", "-tls1_3"]) {
  Deno.test({
    name: `a client that refuses our server certificate is logged with its alert (${version})`,
    ignore: !hasOpenssl,
    async fn() {
      const ae = await startTestAe(pki);
      try {
        // s_client trusting only the rogue CA refuses our server with unknown_ca.
        await sClient(ae.port, [
          version,
          "-verify_return_error",
          "-CAfile",
          pkiFile(pki, "rogue", "crt"),
          "-cert",
          pkiFile(pki, "client", "crt"),
          "-key",
          pkiFile(pki, "client", "key"),
        ]);
        await waitForLogs(ae, 1);
        const [log] = ae.logs;
        assert.equal(log.tls?.status, "refused-by-peer");
        assert.equal(log.tls?.alert?.name, "unknown_ca");
        assert.equal(log.tls?.after, "our-certificate");
      } finally {
        await ae.close();
      }
    },
  });
}

Deno.test({
  name:
    "a TLS 1.3 client that sends a certificate we refuse, or none, and closes at once is refused by us",
  ignore: !hasOpenssl,
  async fn() {
    const ae = await startTestAe(pki);
    try {
      // Its Certificate and Finished go out before its close: it accepted our side.
      // Before, its close counted as its refusal (refused-by-peer, "peer sent no certificates").
      const clients = [["client-expired"], ["client-untrusted"], []];
      for (const [name] of clients) {
        for (let i = 0; i < 3; i++) {
          await sClient(ae.port, [
            "-tls1_3",
            "-CAfile",
            pkiFile(pki, "root", "crt"),
            ...(name
              ? ["-cert", pkiFile(pki, name, "crt"), "-key", pkiFile(pki, name, "key")]
              : []),
          ]);
        }
      }
      await waitForLogs(ae, 9);
      assert.deepEqual(
        ae.logs.map((l) => `${l.tls?.status}: ${l.tls?.error}`),
        [
          ...Array(6).fill("refused-by-us: our TLS stack refused the handshake: socket hang up"),
          ...Array(3).fill(
            "refused-by-us: our TLS stack refused the handshake: peer sent no certificates",
          ),
        ],
      );
    } finally {
      await ae.close();
    }
  },
});
