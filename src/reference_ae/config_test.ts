import assert from "node:assert/strict";
import { InputError } from "../yaml/mod.ts";
import { AE_DEFAULTS, loadAeConfig, resolveAeConfig } from "./config.ts";

const dir = await Deno.makeTempDir({ prefix: "dicomtls-aeconfig-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

async function load(text: string) {
  const file = `${dir}/ae-${crypto.randomUUID()}.yaml`;
  await Deno.writeTextFile(file, text);
  return { file, settings: () => loadAeConfig(file) };
}

async function problem(text: string): Promise<string> {
  const { file, settings } = await load(text);
  const e = await settings().then(() => undefined, (e) => e);
  assert.ok(e instanceof InputError, `expected an InputError, got ${e}`);
  return e.message.replace(file, "ae.yaml");
}

Deno.test("loadAeConfig() reads the shipped example and resolves paths from its folder", async () => {
  const config = resolveAeConfig(await loadAeConfig("fixtures/ae/ae.yaml"));
  assert.equal(config.ae, "REFAE");
  assert.equal(config.port, 0);
  assert.equal(config.storage, "reports/received");
  assert.deepEqual(config.security.certificate, {
    kind: "pem",
    cert: "fixtures/pki/out/standard/server.chain.pem",
    key: "fixtures/pki/out/standard/server.key",
  });
  assert.deepEqual(config.security.ca, ["fixtures/pki/out/standard/root.crt"]);
  assert.deepEqual(config.security.tls, { min: "TLSv1.2" });
});

Deno.test("resolveAeConfig() lets flags win over the file and replaces the certificate source whole", async () => {
  const { settings } = await load(
    "ae: FILEAE\nport: 104\nsecurity:\n  store: s\n  subject: x\n  verify: none\n",
  );
  const config = resolveAeConfig(await settings(), {
    ae: "FLAGAE",
    security: { certificate: { kind: "pem", cert: "c.crt", key: "c.key" } },
  });
  assert.equal(config.ae, "FLAGAE");
  assert.equal(config.port, 104);
  assert.equal(config.security.verify, "none");
  assert.deepEqual(config.security.certificate, { kind: "pem", cert: "c.crt", key: "c.key" });
  assert.equal(config.maxAssociations, AE_DEFAULTS.maxAssociations);
});

Deno.test("loadAeConfig() takes accepted thumbprints as one 'A;B' string, as DICOM SDKs take them", async () => {
  const a = "A".repeat(40), b = "b".repeat(64);
  const { settings } = await load(`security:\n  verify: thumbprint\n  thumbprints: "${a}; ${b}"\n`);
  assert.deepEqual((await settings()).security?.thumbprints, [a, b.toUpperCase()]);
});

Deno.test("loadAeConfig() points at the line of a misspelt key with the fix", async () => {
  assert.equal(
    await problem("ae: X\nsecurity:\n  verfy: chain\n"),
    "ae.yaml:3:3: unknown key 'verfy' in 'security' (hint: did you mean 'verify'?)",
  );
});

Deno.test("loadAeConfig() points at a bad verification method and lists the allowed ones", async () => {
  assert.match(
    await problem("security:\n  verify: strict\n"),
    /^ae\.yaml:2:11: 'security\.verify' has the value "strict".*none, chain, thumbprint/,
  );
});

Deno.test("loadAeConfig() points at a thumbprint that is not one", async () => {
  assert.match(
    await problem("security:\n  thumbprints: [ABCD]\n"),
    /^ae\.yaml:2:16: invalid thumbprint 'ABCD'/,
  );
});

Deno.test("loadAeConfig() points at a bad suite, group or signature algorithm: the list entry, or the string", async () => {
  assert.equal(
    await problem("security:\n  ciphers: [AES128-SHA, TLS_AES_128_GCM_SHA256]\n"),
    "ae.yaml:2:25: 'TLS_AES_128_GCM_SHA256' is a TLS 1.3 suite (hint: TLS 1.3 suites go to ciphersuites)",
  );
  assert.equal(
    await problem("security:\n  groups: P-256,,X25519\n"),
    "ae.yaml:2:11: an empty entry in the list (hint: remove the extra comma, or the empty entry)",
  );
  assert.match(
    await problem("security:\n  sigalgs: [ECDSA+SHA256, ecdsa_sha265]\n"),
    /^ae\.yaml:2:27: unknown signature algorithm 'ecdsa_sha265' \(hint: did you mean 'ecdsa_sha256'\?\)$/,
  );
});

Deno.test("loadAeConfig() refuses two certificate sources at once", async () => {
  assert.match(
    await problem("security:\n  cert: a.crt\n  key: a.key\n  store: s\n"),
    /^ae\.yaml:2:9: give one certificate source/,
  );
});

Deno.test("resolveAeConfig() refuses an AE without a certificate, or chain verification without a trust anchor", () => {
  assert.throws(() => resolveAeConfig({}), /needs its own certificate/);
  assert.throws(
    () =>
      resolveAeConfig({
        security: { certificate: { kind: "pem", cert: "a", key: "b" }, verify: "chain" },
      }),
    /chain verification with no trust anchor/,
  );
  assert.ok(
    resolveAeConfig({
      security: {
        certificate: { kind: "pem", cert: "a", key: "b" },
        verify: "chain",
        mutual: false,
      },
    }),
  );
});

Deno.test("loadAeConfig() refuses a timeout longer than a timer can wait, which would fire at once", async () => {
  for (const key of ["idleTimeoutMs", "associationTimeoutMs"]) {
    assert.match(
      await problem(`ae: X\n${key}: 99999999999999\n`),
      new RegExp(`^ae\\.yaml:2:\\d+: '${key}' is 99999999999999; it must be at most 2147483647 `),
    );
  }
});
