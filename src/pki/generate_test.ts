import assert from "node:assert/strict";
import { InputError } from "../yaml/mod.ts";
import { generatePki } from "./generate.ts";
import { pkiPassword, readManifest } from "./manifest.ts";
import { pkcs12Opens } from "./pkcs12.ts";

const SPEC = `defaults: { days: 10 }
authorities:
  - { name: root, days: 100 }
  - { name: sub, issuer: root, days: 100, subject: { CN: Sub CA } }
certificates:
  - { name: a, issuer: sub, usage: server }
  - { name: b, issuer: root, usage: client }
  - { name: b-expired, like: b, validity: expired }
`;

async function withSpec(fn: (dir: string, spec: string) => Promise<void>, yaml = SPEC) {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-pki-test-" });
  try {
    await Deno.writeTextFile(`${dir}/pki.yaml`, yaml);
    await fn(dir, `${dir}/pki.yaml`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const T = new Date("2030-06-01T00:00:00Z");
const days = (n: number) => new Date(T.getTime() + n * 86_400_000);

Deno.test("generatePki() reuses unchanged entries and regenerates a changed one with what it issues", async () => {
  await withSpec(async (dir, spec) => {
    const out = `${dir}/out`;
    const first = await generatePki({ spec, out, now: T });
    assert.deepEqual(first.reused, []);
    assert.equal(first.generated.length, 5);

    const second = await generatePki({ spec, out, now: T });
    assert.deepEqual(second.generated, []);
    assert.deepEqual(second.manifest, first.manifest);

    const subKey = await Deno.readTextFile(`${out}/sub.key`);
    await Deno.writeTextFile(spec, SPEC.replace("CN: Sub CA", "CN: Renamed Sub CA"));
    const third = await generatePki({ spec, out, now: T });
    assert.deepEqual(third.generated, ["sub", "a"]);
    assert.deepEqual(third.reused, ["root", "b", "b-expired"]);
    assert.equal(
      await Deno.readTextFile(`${out}/sub.key`),
      subKey,
      "the key of a regenerated entry is kept",
    );
    assert.equal(third.manifest.entries.find((e) => e.name === "a")?.issuer, "CN=Renamed Sub CA");
    assert.deepEqual(await readManifest(out), third.manifest);

    const forced = await generatePki({ spec, out, now: T, force: true });
    assert.deepEqual(forced.reused, []);
  });
});

Deno.test("generatePki() regenerates what a relative validity makes stale", async () => {
  await withSpec(async (dir, spec) => {
    const out = `${dir}/out`;
    await generatePki({ spec, out, now: T });
    assert.deepEqual((await generatePki({ spec, out, now: days(5) })).generated, []);
    const later = await generatePki({ spec, out, now: days(20) });
    assert.deepEqual(
      later.generated,
      ["a", "b"],
      "10-day certificates go stale; 100-day and expired ones stay",
    );
    assert.ok(
      later.manifest.entries.every((e) =>
        e.expected === (e.name === "b-expired" ? "expired" : "valid")
      ),
    );
  });
});

Deno.test("generatePki() refuses a folder that is not a PKI and an unwritable one, writing nothing", async () => {
  await withSpec(async (dir, spec) => {
    await Deno.mkdir(`${dir}/mine`);
    await Deno.writeTextFile(`${dir}/mine/notes.txt`, "keep me");
    await assert.rejects(
      () => generatePki({ spec, out: `${dir}/mine`, now: T }),
      (e) =>
        e instanceof InputError && /is not a dicomtls PKI/.test(e.message) &&
        /--force/.test(e.message),
    );
    assert.equal(await Deno.readTextFile(`${dir}/mine/notes.txt`), "keep me");

    await assert.rejects(
      () => generatePki({ spec, out: `${dir}/pki.yaml/out`, now: T }),
      (e) =>
        e instanceof InputError &&
        /^cannot write .*pki\.yaml\/out: .*hint: choose a writable --out folder/.test(e.message),
    );
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(left, ["mine", "pki.yaml"], "no temporary folder is left behind");
  });
});

Deno.test("the .p12 files, key files and import-windows.ps1 are written for every entry", async () => {
  await withSpec(async (dir, spec) => {
    const { manifest } = await generatePki({ spec, out: `${dir}/out`, now: T });
    for (const e of manifest.entries) {
      for (const file of Object.values(e.files)) {
        assert.ok(Deno.statSync(`${dir}/out/${file}`).size > 0, file);
      }
      assert.equal(Deno.statSync(`${dir}/out/${e.files.key}`).mode! & 0o777, 0o600);
    }
    const script = await Deno.readTextFile(`${dir}/out/import-windows.ps1`);
    assert.match(script, /foreach \(\$n in @\('root'\)\)/);
    assert.match(script, /Cert:\\\$Scope\\CA/);
    assert.match(script, /\[string\[\]\] \$Name = @\('a', 'b', 'b-expired'\)/);
  });
});

const mode = (path: string) => Deno.statSync(path).mode! & 0o777;

Deno.test("generatePki() creates key and .p12 files 0600 and a new PKI folder 0700", async () => {
  await withSpec(async (dir, spec) => {
    const { manifest } = await generatePki({ spec, out: `${dir}/deep/out`, now: T });
    assert.equal(mode(`${dir}/deep/out`), 0o700);
    assert.equal(mode(`${dir}/deep`), 0o700, "a parent folder it creates");
    for (const e of manifest.entries) {
      assert.equal(mode(`${dir}/deep/out/${e.files.key}`), 0o600, e.files.key);
      assert.equal(mode(`${dir}/deep/out/${e.files.p12}`), 0o600, e.files.p12);
      assert.equal(mode(`${dir}/deep/out/${e.files.crt}`) & 0o600, 0o600, e.files.crt);
    }
  });
});

Deno.test("manifest.json and import-windows.ps1 hold no password, the result does", async () => {
  const custom = `password: "it's a secret"\n${SPEC}`;
  await withSpec(async (dir, spec) => {
    const pki = await generatePki({ spec, out: `${dir}/out`, now: T });
    assert.equal(pki.password, "it's a secret");
    assert.equal(pki.manifest.passwordFrom, "spec");
    const manifest = await Deno.readTextFile(`${dir}/out/manifest.json`);
    const script = await Deno.readTextFile(`${dir}/out/import-windows.ps1`);
    for (const text of [manifest, script]) assert.doesNotMatch(text, /secret/);
    assert.doesNotMatch(manifest, /"password"/);
    assert.match(script, /Read-Host -AsSecureString/);
    assert.equal(await pkiPassword(await readManifest(`${dir}/out`)), "it's a secret");
  }, custom);
  await withSpec(async (dir, spec) => {
    const pki = await generatePki({ spec, out: `${dir}/out`, now: T });
    assert.equal(pki.manifest.passwordFrom, "default");
    assert.equal(await pkiPassword(pki.manifest), "dicomtls");
  });
});

Deno.test("a changed password remakes every .p12 with it, keeping the certificates", async () => {
  await withSpec(async (dir, spec) => {
    const out = `${dir}/out`;
    const first = await generatePki({ spec, out, now: T });
    await Deno.writeTextFile(spec, `password: other\n${SPEC}`);
    const second = await generatePki({ spec, out, now: T });
    assert.deepEqual(second.generated, []);
    assert.deepEqual(second.manifest.entries, first.manifest.entries);
    for (const e of second.manifest.entries) {
      const p12 = await Deno.readFile(`${out}/${e.files.p12}`);
      assert.ok(pkcs12Opens(p12, "other") && !pkcs12Opens(p12, "dicomtls"), e.files.p12);
    }
  });
});

Deno.test("a user's files and folders in the PKI folder survive a spec change, with and without --force", async () => {
  await withSpec(async (dir, spec) => {
    const out = `${dir}/out`;
    await generatePki({ spec, out, now: T });
    await Deno.writeTextFile(`${out}/notes.txt`, "mine");
    await Deno.mkdir(`${out}/device`);
    await Deno.writeTextFile(`${out}/device/trust.pem`, "mine too");
    await Deno.writeTextFile(spec, SPEC.replace(/ {2}- \{ name: b-expired.*\n/, ""));
    const smaller = await generatePki({ spec, out, now: T });
    assert.ok(!smaller.manifest.entries.some((e) => e.name === "b-expired"));
    assert.ok(!existsSync(`${out}/b-expired.key`), "a file of a removed entry is removed");
    await Deno.writeTextFile(spec, SPEC.replace("CN: Sub CA", "CN: Other"));
    await generatePki({ spec, out, now: T, force: true });
    assert.ok(existsSync(`${out}/b-expired.key`));
    assert.equal(await Deno.readTextFile(`${out}/notes.txt`), "mine");
    assert.equal(await Deno.readTextFile(`${out}/device/trust.pem`), "mine too");
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
      ["out", "pki.yaml"],
      "no temporary folder is left",
    );
  });
});

Deno.test("generatePki() refuses to replace a file it did not write, even with --force", async () => {
  await withSpec(async (dir, spec) => {
    const out = `${dir}/out`;
    await Deno.mkdir(out);
    await Deno.writeTextFile(`${out}/a.key`, "my own key");
    await Deno.writeTextFile(`${out}/readme.txt`, "mine");
    await assert.rejects(
      () => generatePki({ spec, out, now: T, force: true }),
      (e) =>
        e instanceof InputError &&
        /a\.key is not from an earlier dicomtls pki run .*hint: move those files away/.test(
          e.message,
        ),
    );
    assert.equal(await Deno.readTextFile(`${out}/a.key`), "my own key");
    assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name).sort(), ["a.key", "readme.txt"]);
    await Deno.remove(`${out}/a.key`);
    await generatePki({ spec, out, now: T, force: true });
    assert.equal(await Deno.readTextFile(`${out}/readme.txt`), "mine");
  });
});

function existsSync(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
