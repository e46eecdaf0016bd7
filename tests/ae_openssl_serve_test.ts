/**
 * The reference AE can play a legacy server on the OpenSSL stack: TLS 1.0
 * and 1.1 only, with a chosen suite, for inbound tests of clients that
 * should (or should not) fall back. DCMTK echoscu allowed TLS 1.0 by an
 * OpenSSL config, and our own SCU, echo over it; a client offering only
 * TLS 1.2 and 1.3 is refused with protocol_version. The serve flags
 * resolve to the same settings.
 */
import assert from "node:assert/strict";
import { runScu } from "../src/scu/mod.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { LEGACY_OPENSSL_CONF } from "../src/testing/openssl_stack.ts";
import {
  echoscuArgs,
  runDcmtk,
  startServeProcess,
  startTestAe,
  waitForLogs,
} from "../src/testing/reference_ae.ts";
import { waitUntil } from "../src/testing/wait.ts";

const pki = await testPki();
const hasEchoscu = havePeer("echoscu", "dcmtk");
const legacy = {
  security: {
    certificate: {
      kind: "pem" as const,
      cert: pkiFile(pki, "server-rsa", "chain"),
      key: pkiFile(pki, "server-rsa", "key"),
    },
    tls: {
      stack: "openssl" as const,
      min: "TLSv1" as const,
      max: "TLSv1.1" as const,
      ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA"],
    },
  },
};

Deno.test("a TLS 1.0-only reference AE on OpenSSL echoes with our SCU over TLS 1.0 and refuses TLS 1.2", async () => {
  const ae = await startTestAe(pki, legacy);
  try {
    const credentials = await loadCredentials({
      cert: pkiFile(pki, "client", "crt"),
      key: pkiFile(pki, "client", "key"),
    });
    const scu = { host: "127.0.0.1", port: ae.port, callingAe: "SCU", calledAe: "REFAE" };
    const old = await runScu({
      ...scu,
      credentials,
      policy: { method: "none" },
      maxVersion: "TLSv1",
      timeoutMs: 8000,
    });
    assert.equal(old.ok, true, JSON.stringify(old.tls));
    assert.deepEqual([old.tls?.protocol, old.tls?.cipher], [
      "TLSv1",
      "TLS_RSA_WITH_AES_128_CBC_SHA",
    ]);
    const modern = await runScu({
      ...scu,
      credentials,
      policy: { method: "none" },
      timeoutMs: 8000,
    });
    assert.equal(modern.tls?.status, "refused-by-peer", JSON.stringify(modern.tls));
    assert.equal(modern.tls?.alert?.name, "protocol_version");
    await waitForLogs(ae, 2);
    assert.deepEqual(ae.logs.map((l) => [l.tls?.stack, l.result]).sort(), [
      ["openssl", "accepted"],
      ["openssl", "tls-refused"],
    ]);
  } finally {
    await ae.close();
  }
});

Deno.test({
  name:
    "echoscu allowed TLS 1.0 by an OpenSSL config echoes with `serve --tls-stack openssl --tls-versions 1.0`",
  ignore: !hasEchoscu,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-legacy-serve-" });
    const serve = await startServeProcess(pki, [
      "--cert",
      pkiFile(pki, "server-rsa", "chain"),
      "--key",
      pkiFile(pki, "server-rsa", "key"),
      "--tls-stack",
      "openssl",
      "--tls-versions",
      "1.0",
      "--ciphers",
      "AES128-SHA",
    ]);
    try {
      await Deno.writeTextFile(`${dir}/tls10.cnf`, LEGACY_OPENSSL_CONF);
      const ae = { port: serve.port };
      const { code, output } = await runDcmtk("echoscu", [
        "+px",
        ...echoscuArgs(pki, ae, "client-rsa"),
      ], {
        OPENSSL_CONF: `${dir}/tls10.cnf`,
      });
      assert.equal(code, 0, output);
      assert.match(output, /Received Echo Response \(Success\)/);
      // The log line comes once the connection has fully ended.
      await waitUntil(() => /"protocol":"TLSv1"/.test(serve.log()), 2500);
      assert.match(serve.log(), /"protocol":"TLSv1"/);
    } finally {
      await serve.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
