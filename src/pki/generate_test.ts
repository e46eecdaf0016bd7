import assert from "node:assert/strict";
import { InputError } from "../yaml/mod.ts";
import { generatePki } from "./generate.ts";
import { readManifest } from "./manifest.ts";

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
