import assert from "node:assert/strict";
import { InputError } from "../yaml/mod.ts";
import { toPkcs12 } from "../pki/pkcs12.ts";
import { makeCert } from "../testing/certificates.ts";
import { openCertificateStore, selectCertificate } from "./certificate_store.ts";

// A store folder (EC keys: instant): two PEM pairs and a twin of one
// subject, a PKCS#12 file whose certificate also lies there without its key,
// one pair whose key belongs to another certificate, a certificate alone.
async function makeStore(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-store-" });
  const write = async (name: string, cn: string, { key = true } = {}) => {
    const made = await makeCert({ name: cn });
    await Deno.writeTextFile(`${dir}/${name}.crt`, made.certPem);
    if (key) await Deno.writeTextFile(`${dir}/${name}.key`, made.keyPem);
    return made;
  };
  await write("alpha", "alpha.example");
  await write("beta", "beta.example");
  await write("twin", "alpha.example");
  const gamma = await write("gamma", "gamma.example", { key: false });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", gamma.keys.privateKey);
  await Deno.writeFile(
    `${dir}/gamma.p12`,
    toPkcs12({
      certificate: new Uint8Array(gamma.der),
      pkcs8: new Uint8Array(pkcs8),
      password: "secret",
    }),
  );
  await write("wrongkey", "wrongkey.example", { key: false });
  const other = await write("other", "other.example", { key: false });
  await Deno.writeTextFile(`${dir}/wrongkey.key`, other.keyPem);
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
