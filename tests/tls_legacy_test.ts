/**
 * The TLS 1.0/1.1 handshake probe (node-forge) against DCMTK storescp: its
 * default profile refuses the version, `+px` with an OpenSSL config that
 * allows TLS 1.0 accepts it; and a scenario case with `tls: { max: TLSv1 }`
 * passes through `dicomtls run`.
 */
import assert from "node:assert/strict";
import { runScu } from "../src/scu/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
import { certificateInfo, loadCredentials, probeLegacyTls } from "../src/tls/mod.ts";
import { freePort } from "../src/process/mod.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { LEGACY_OPENSSL_CONF } from "../src/testing/openssl_stack.ts";

const ignore = !havePeer("storescp", "dcmtk");
const pki = ignore ? undefined : await testPki();
const file = (name: string, ext: "crt" | "key" | "chain" | "der") => pkiFile(pki!, name, ext);
const ROOT = new URL("../", import.meta.url).pathname;

async function withStorescp(
  options: { flags?: string[]; env?: Record<string, string> },
  fn: (port: number) => Promise<void>,
) {
  const scp = await startStorescp({
    cert: file("server-rsa", "chain"),
    key: file("server-rsa", "key"),
    trust: [file("root", "crt")],
    flags: options.flags,
    env: options.env,
  });
  try {
    await fn(scp.port);
  } finally {
    await scp.stop();
  }
}

Deno.test({
  name: "storescp's default profile refuses a TLS 1.0 and a TLS 1.1 probe with protocol_version",
  ignore,
  async fn() {
    await withStorescp({}, async (port) => {
      for (const version of ["TLSv1", "TLSv1.1"] as const) {
        const r = await probeLegacyTls({ host: "127.0.0.1", port, version, timeoutMs: 5000 });
        assert.equal(r.tcp.status, "connected");
        assert.equal(r.tls?.status, "refused-by-peer", JSON.stringify(r));
        assert.deepEqual(r.tls?.alert, { name: "protocol_version", code: 70 });
        assert.equal(r.tls?.legacyProbe, true);
      }
    });
  },
});

Deno.test({
  name:
    "storescp +px with TLS 1.0 allowed completes TLS 1.0 and 1.1 handshakes with an RSA client certificate, and refuses a probe without one",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-legacy-test-" });
    try {
      await Deno.writeTextFile(`${dir}/tls10.cnf`, LEGACY_OPENSSL_CONF);
      const credentials = await loadCredentials({
        cert: file("client-rsa", "crt"),
        key: file("client-rsa", "key"),
      });
      const serverRsa = certificateInfo(await Deno.readFile(file("server-rsa", "der")));
      await withStorescp(
        { flags: ["+px"], env: { OPENSSL_CONF: `${dir}/tls10.cnf` } },
        async (port) => {
          for (const version of ["TLSv1", "TLSv1.1"] as const) {
            const r = await probeLegacyTls({
              host: "127.0.0.1",
              port,
              version,
              credentials,
              timeoutMs: 5000,
            });
            assert.equal(r.tls?.status, "established", JSON.stringify(r));
            assert.equal(r.tls?.protocol, version);
            assert.match(r.tls?.cipher ?? "", /^TLS_RSA_WITH_AES_(128|256)_CBC_SHA$/);
            assert.equal(r.tls?.clientCertificate, true);
            assert.match(r.tls?.peer?.subject ?? "", /CN=/);
            assert.equal(r.tls?.peer?.sha256, serverRsa.sha256); // forge's DER kept as sent
            assert.equal(r.tls?.peer?.chain.length, 2); // with the EC intermediate forge cannot parse
          }
          // storescp requires a client certificate (-rc): without one the probe is refused.
          const none = await runScu({
            host: "127.0.0.1",
            port,
            callingAe: "DICOMTLS",
            calledAe: "STORESCP",
            policy: { method: "none" },
            maxVersion: "TLSv1",
            timeoutMs: 5000,
          });
          assert.equal(none.ok, false);
          assert.equal(none.stage, "tls");
          assert.equal(none.tls?.status, "refused-by-peer", JSON.stringify(none));
          assert.equal(none.association?.result, "not-requested");
          assert.deepEqual(none.tls?.alert, { name: "handshake_failure", code: 40 });
          assert.equal(none.tls?.legacyProbe, true);
        },
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a scenario case with tls max TLSv1 passes when storescp refuses it with protocol_version",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-legacy-test-" });
    try {
      await Deno.writeTextFile(
        `${dir}/legacy.yaml`,
        `suite: legacy TLS is refused
pki: ${ROOT}fixtures/pki/standard.yaml
peers:
  sut:
    ae: STORESCP
    host: 127.0.0.1
    port: "\${set.port}"
    start:
      command:
        - storescp
        - +tls
        - \${pki.server-rsa.key}
        - \${pki.server-rsa.chain}
        - +cf
        - \${pki.root.crt}
        - --ignore
        - \${set.port}
      env: { TCP_NODELAY: "1" }
      ready: { port: "\${set.port}", timeout: 10s }
  harness: { certificate: client-rsa, trust: [root] }
defaults: { timeout: 5s }
cases:
  - name: TLS 1.0 is refused
    harness: { tls: { max: TLSv1 } }
    expect: { tls: refused-by-peer, alert: protocol_version }
  - name: TLS 1.1 is refused
    harness: { tls: { max: TLSv1.1 } }
    expect: { tls: refused-by-peer, alert: protocol_version }
`,
      );
      const out = await runDicomtls(
        ["run", `${dir}/legacy.yaml`, "--set", `port=${freePort()}`, "--json", `${dir}/r.json`],
        { cwd: dir },
      );
      const text = out.stdout + out.stderr;
      assert.equal(out.code, 0, text);
      const result = JSON.parse(await Deno.readTextFile(`${dir}/r.json`)) as RunResult;
      const cases = result.suites[0].cases;
      assert.deepEqual(cases.map((c) => c.status), ["passed", "passed"], text);
      assert.equal(cases[0].outcome?.tls?.legacyProbe, true);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
