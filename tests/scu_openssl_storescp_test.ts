/**
 * The SCU engine speaks what only OpenSSL can, without being told: a real
 * A-ASSOCIATE and C-ECHO over TLS 1.0 and 1.1, over a single chosen suite
 * (RSA key exchange, DHE with its key size, CBC), and with a client key
 * rustls refuses (RSA 1024), against DCMTK storescp; the default profile
 * refuses the old versions with protocol_version. Each outcome names the
 * stack and why it was chosen. Also through `dicomtls run`.
 */
import assert from "node:assert/strict";
import { runScu, type ScuOptions } from "../src/scu/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { freePort } from "../src/process/mod.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { LEGACY_OPENSSL_CONF } from "../src/testing/openssl_stack.ts";

const ignore = !havePeer("storescp", "dcmtk");
const pki = ignore ? undefined : await testPki();
const file = (name: string, ext: "crt" | "key" | "chain") => pkiFile(pki!, name, ext);
const ROOT = new URL("../", import.meta.url).pathname;
const dir = await Deno.makeTempDir({ prefix: "dicomtls-openssl-scu-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
await Deno.writeTextFile(`${dir}/tls10.cnf`, LEGACY_OPENSSL_CONF);

async function withStorescp(
  options: { server: string; flags?: string[]; legacy?: boolean },
  fn: (port: number) => Promise<void>,
) {
  const scp = await startStorescp({
    cert: file(options.server, "chain"),
    key: file(options.server, "key"),
    trust: [file("root", "crt")],
    flags: options.flags,
    env: options.legacy ? { OPENSSL_CONF: `${dir}/tls10.cnf` } : {},
  });
  try {
    await fn(scp.port);
  } finally {
    await scp.stop();
  }
}

async function echo(port: number, options: Partial<ScuOptions> & { client?: string }) {
  const { client = "client-rsa", ...rest } = options;
  return await runScu({
    host: "127.0.0.1",
    port,
    callingAe: "DICOMTLS",
    calledAe: "STORESCP",
    credentials: await loadCredentials({ cert: file(client, "crt"), key: file(client, "key") }),
    policy: { method: "none" },
    timeoutMs: 8000,
    ...rest,
  });
}

Deno.test({
  name: "a C-ECHO over TLS 1.0 and over TLS 1.1 completes against storescp +px with an RSA key",
  ignore,
  async fn() {
    await withStorescp({ server: "server-rsa", flags: ["+px"], legacy: true }, async (port) => {
      for (const version of ["TLSv1", "TLSv1.1"] as const) {
        const o = await echo(port, { minVersion: version, maxVersion: version });
        assert.equal(o.ok, true, JSON.stringify(o.tls));
        assert.equal(o.dimse?.operations[0].statusName, "Success");
        assert.equal(o.tls?.protocol, version);
        assert.equal(o.tls?.cipher, "TLS_RSA_WITH_AES_128_CBC_SHA");
        assert.equal(o.tls?.stack, "openssl");
        assert.equal(o.tls?.stackReason, `rustls does not speak ${version}`);
      }
    });
  },
});

Deno.test({
  name:
    "a C-ECHO over TLS 1.0 with ECDHE-ECDSA-AES128-SHA completes against an EC-keyed storescp +px +cs",
  ignore,
  async fn() {
    const flags = ["+px", "+cs", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"];
    await withStorescp({ server: "server", flags, legacy: true }, async (port) => {
      const o = await echo(port, { client: "client", minVersion: "TLSv1", maxVersion: "TLSv1" });
      assert.equal(o.ok, true, JSON.stringify(o.tls));
      assert.equal(o.tls?.protocol, "TLSv1");
      assert.equal(o.tls?.cipher, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
    });
  },
});

Deno.test({
  name:
    "at TLS 1.2 a single DHE or RSA-key-exchange suite completes a C-ECHO against storescp +px, with the DH key size",
  ignore,
  async fn() {
    const dh = `${dir}/dh2048.pem`;
    const gen = await new Deno.Command("openssl", {
      args: [
        "genpkey",
        "-genparam",
        "-algorithm",
        "DH",
        "-pkeyopt",
        "dh_param:ffdhe2048",
        "-out",
        dh,
      ],
    }).output();
    assert.equal(gen.code, 0);
    const flags = ["+px", "--dhparam", dh];
    await withStorescp({ server: "server-rsa", flags }, async (port) => {
      const dhe = await echo(port, { ciphers: ["TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"] });
      assert.equal(dhe.ok, true, JSON.stringify(dhe.tls));
      assert.equal(dhe.tls?.cipher, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
      assert.deepEqual([dhe.tls?.group, dhe.tls?.keyBits], ["DH", 2048]);
      assert.equal(dhe.tls?.stackReason, "rustls cannot choose the suites it offers");
      const rsa = await echo(port, {
        ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA"],
        maxVersion: "TLSv1.2",
      });
      assert.equal(rsa.ok, true, JSON.stringify(rsa.tls));
      assert.equal(rsa.tls?.cipher, "TLS_RSA_WITH_AES_128_CBC_SHA");
      assert.equal(rsa.tls?.group, undefined, "no ephemeral key with RSA key exchange");
    });
  },
});

Deno.test({
  name:
    "the default profile (+py) refuses TLS 1.0, TLS 1.1 and a lone RSA-key-exchange suite with alerts",
  ignore,
  async fn() {
    await withStorescp({ server: "server-rsa" }, async (port) => {
      for (const version of ["TLSv1", "TLSv1.1"] as const) {
        const o = await echo(port, { minVersion: version, maxVersion: version });
        assert.equal(o.tls?.status, "refused-by-peer", JSON.stringify(o.tls));
        assert.deepEqual(o.tls?.alert, { name: "protocol_version", code: 70 });
        assert.equal(o.tls?.after, "client-hello");
        assert.equal(o.association?.result, "not-requested");
      }
      const rsa = await echo(port, {
        ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA"],
        maxVersion: "TLSv1.2",
      });
      assert.equal(rsa.tls?.status, "refused-by-peer", JSON.stringify(rsa.tls));
      assert.equal(rsa.tls?.alert?.name, "handshake_failure");
    });
  },
});

Deno.test({
  name:
    "a client certificate with a 1024-bit RSA key is presented through OpenSSL, to storescp -ic and -rc",
  ignore,
  async fn() {
    for (const flags of [["-ic"], []]) {
      await withStorescp({ server: "server-rsa", flags }, async (port) => {
        const o = await echo(port, { client: "client-weak-key", maxVersion: "TLSv1.2" });
        assert.equal(o.ok, true, `${flags}: ${JSON.stringify(o.tls)}`);
        assert.equal(o.tls?.stack, "openssl");
        assert.match(o.tls?.stackReason ?? "", /^rustls refuses our certificate .*key too small/);
      });
    }
  },
});

Deno.test({
  name:
    "scenario cases with tls max TLSv1 get a real C-ECHO from storescp +px and a protocol_version from +py",
  ignore,
  async fn() {
    const suite = (name: string, flags: string, legacy: boolean) =>
      `suite: ${name}
pki: ${ROOT}fixtures/pki/standard.yaml
peers:
  sut:
    ae: STORESCP
    host: 127.0.0.1
    port: "\${set.port}"
    start:
      command: [storescp, +tls, "\${pki.server-rsa.key}", "\${pki.server-rsa.chain}", +cf, "\${pki.root.crt}", ${flags} "\${set.port}"]
      env: { TCP_NODELAY: "1"${legacy ? `, OPENSSL_CONF: ${dir}/tls10.cnf` : ""} }
      ready: { port: "\${set.port}", timeout: 10s }
  harness: { certificate: client-rsa, trust: [root] }
defaults: { timeout: 8s }
cases:
  - name: TLS 1.0
    harness: { tls: { versions: [TLSv1] } }
    expect: ${
        legacy
          ? "{ echo: success, tls: { protocol: TLSv1 } }"
          : "{ tls: refused-by-peer, alert: protocol_version }"
      }
`;
    for (
      const [name, flags, legacy] of [["+px accepts", "+px,", true], [
        "+py refuses",
        "",
        false,
      ]] as const
    ) {
      const file = `${dir}/${legacy ? "px" : "py"}.yaml`;
      await Deno.writeTextFile(file, suite(name, flags, legacy));
      const out = await runDicomtls(
        ["run", file, "--set", `port=${freePort()}`, "--json", `${dir}/r.json`],
        { cwd: dir },
      );
      const result = JSON.parse(await Deno.readTextFile(`${dir}/r.json`)) as RunResult;
      assert.deepEqual(
        result.suites[0].cases.map((c) => c.status),
        ["passed"],
        out.stdout + out.stderr,
      );
      assert.equal(result.suites[0].cases[0].outcome?.tls?.stack, "openssl");
    }
  },
});
