import assert from "node:assert/strict";
import { InputError } from "../yaml/mod.ts";
import { openCertificateStore, selectCertificate } from "./certificate_store.ts";

// A store folder made with openssl (EC keys: instant): two PEM pairs, one
// PKCS#12, one pair whose key belongs to another certificate, a lone CA cert.
async function makeStore(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-store-" });
  const run = async (...args: string[]) => {
    const { success, stderr } = await new Deno.Command("openssl", {
      args,
      cwd: dir,
      stderr: "piped",
    }).output();
    if (!success) throw new Error(new TextDecoder().decode(stderr));
  };
  const cert = (name: string, cn: string) =>
    run(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.crt`,
      "-subj",
      `/CN=${cn}/O=Test`,
      "-days",
      "2",
    );
  await cert("alpha", "alpha.example");
  await cert("beta", "beta.example");
  await cert("gamma", "gamma.example");
  await cert("twin", "alpha.example");
  await cert("wrongkey", "wrongkey.example");
  await cert("other", "other.example");
  await Deno.copyFile(`${dir}/other.key`, `${dir}/wrongkey.key`);
  await run(
    "pkcs12",
    "-export",
    "-in",
    "gamma.crt",
    "-inkey",
    "gamma.key",
    "-out",
    "gamma.p12",
    "-passout",
    "pass:secret",
  );
  await Deno.remove(`${dir}/gamma.key`);
  await Deno.remove(`${dir}/other.key`);
  return dir;
}

const dir = await makeStore();
const store = await openCertificateStore(dir, { password: "secret" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e;
  }
  throw new Error("expected an InputError");
}

Deno.test("openCertificateStore() reads PEM pairs and PKCS#12 files and skips certificates without a key", () => {
  const sources = store.entries.map((e) => e.source).sort();
  assert.deepEqual(sources, [
    "alpha.crt + alpha.key",
    "beta.crt + beta.key",
    "gamma.p12",
    "twin.crt + twin.key",
    "wrongkey.crt + wrongkey.key",
  ]);
});

Deno.test("selectCertificate() picks by subject CN, case-insensitively", () => {
  assert.equal(
    selectCertificate(store, { subject: "BETA.example" }).source,
    `store ${dir}: beta.crt + beta.key`,
  );
  assert.equal(
    selectCertificate(store, { subject: "gamma.example" }).source,
    `store ${dir}: gamma.p12`,
  );
});

Deno.test("selectCertificate() picks by SHA-1 or SHA-256 thumbprint in any case and with separators", () => {
  const beta = store.entries.find((e) => e.subjectCn === "beta.example")!;
  const colons = beta.credentials.certificate.sha1.toLowerCase().match(/../g)!.join(":");
  assert.equal(
    selectCertificate(store, { thumbprint: colons }).certificate.sha256,
    beta.credentials.certificate.sha256,
  );
  assert.equal(
    selectCertificate(store, { thumbprint: beta.credentials.certificate.sha256 }).certificate.sha1,
    beta.credentials.certificate.sha1,
  );
});

Deno.test("selectCertificate() lists what the store holds when nothing matches", () => {
  const e = thrown(() => selectCertificate(store, { subject: "nobody" }));
  assert.match(e.message, /no certificate matches subject CN=nobody/);
  assert.match(e.message, /beta\.crt \+ beta\.key \(CN=beta\.example/);
});

Deno.test("selectCertificate() defaults to the host name", () => {
  const e = thrown(() => selectCertificate(store, {}));
  assert.match(e.message, new RegExp(`CN=${Deno.hostname()} \\(the host name\\)`));
});

Deno.test("selectCertificate() refuses a subject that several certificates carry, naming their thumbprints", () => {
  const e = thrown(() => selectCertificate(store, { subject: "alpha.example" }));
  assert.match(e.message, /2 certificates match subject CN=alpha\.example/);
  assert.match(e.message, /select one by thumbprint: [0-9A-F]{40} \(alpha\.crt/);
});

Deno.test("selectCertificate() refuses a certificate whose key does not match", () => {
  const e = thrown(() => selectCertificate(store, { subject: "wrongkey.example" }));
  assert.match(
    e.message,
    /wrongkey\.crt \+ wrongkey\.key: the private key does not match the certificate/,
  );
});

Deno.test("openCertificateStore() reports a PKCS#12 file it cannot open when nothing else is there", async () => {
  const only = await Deno.makeTempDir({ prefix: "dicomtls-store-" });
  await Deno.copyFile(`${dir}/gamma.p12`, `${only}/gamma.p12`);
  const s = await openCertificateStore(only, { password: "wrong" });
  const e = thrown(() => selectCertificate(s, { subject: "gamma.example" }));
  assert.match(e.message, /it holds no certificate with a private key \(skipped: gamma\.p12: /);
  await Deno.remove(only, { recursive: true });
});

Deno.test("openCertificateStore() refuses a folder that does not exist", async () => {
  await assert.rejects(() => openCertificateStore(`${dir}/missing`), InputError);
});
