// `dicomtls pki` as a program: a bad spec is one line and exit 2, and the PKI
// generated before is left as it was (generatePki itself is tested beside it).
// The quoting test's command lines run in one child process (src/testing/cli_batch.ts):
// a child each spent ~0.3 CPU-seconds loading.
import assert from "node:assert/strict";
import { generatePki, readManifest } from "../src/pki/mod.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { runDicomtlsBatch } from "../src/testing/cli_batch.ts";

const SPEC = `authorities:
  - { name: root }
  - { name: sub, issuer: root }
certificates:
  - { name: a, issuer: sub, usage: server }
`;

Deno.test("dicomtls pki exits 2 on a bad spec and leaves the previous PKI as it was", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-pki-cli-" });
  try {
    const spec = `${dir}/pki.yaml`;
    const out = `${dir}/out`;
    await Deno.writeTextFile(spec, SPEC);
    const before = await generatePki({ spec, out });
    await Deno.writeTextFile(spec, SPEC.replace("issuer: sub", "issuer: subb"));
    const r = await runDicomtls(["pki", spec, "--out", out]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /pki\.yaml:5:\d+: 'issuer: subb' names nothing/);
    assert.deepEqual(await readManifest(out), before.manifest);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// The words a POSIX shell makes of `line` (the command itself first), by asking sh.
async function shellWords(line: string): Promise<string[]> {
  const { code, stdout } = await new Deno.Command("sh", {
    args: ["-c", `set -- ${line}; printf '%s\\0' "$@"`],
    stdout: "piped",
  }).output();
  assert.equal(code, 0, line);
  return new TextDecoder().decode(stdout).split("\0").slice(0, -1);
}

Deno.test("the commands pki and init print survive a shell: paths with a space or a quote are quoted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-pki-quote-" });
  try {
    const spec = new URL("../scenarios/device/pki.yaml", import.meta.url).pathname;
    const names = ["my dev", "it's"];
    const outOf = (name: string) => `${dir}/${name}/pki`;
    const deviceOf = (name: string) => `${dir}/${name} 2`;
    const results = await runDicomtlsBatch(
      names.flatMap((name) => [
        { args: ["pki", spec, "--out", outOf(name)] },
        { args: ["init", deviceOf(name)] },
      ]),
    );
    for (const [i, name] of names.entries()) {
      const [r, init] = results.slice(2 * i, 2 * i + 2);
      const [out, device] = [outOf(name), deviceOf(name)];
      assert.equal(r.code, 0, r.stderr);
      const line = (start: string) => {
        const found = r.stdout.split("\n").map((l) => l.trim()).find((l) => l.startsWith(start));
        assert.ok(found, `no line '${start}' in\n${r.stdout}`);
        return found;
      };
      assert.deepEqual((await shellWords(line("storescp +tls"))).slice(0, 6), [
        "storescp",
        "+tls",
        `${out}/server.key`,
        `${out}/server.chain.pem`,
        "+cf",
        `${out}/root.crt`,
      ]);
      assert.equal((await shellWords(line("echoscu +tls")))[2], `${out}/client.key`);
      assert.equal((await shellWords(line("keytool")))[6], `${out}/root.crt`);
      const run = line("Then test it:").replace("Then test it: ", "");
      assert.deepEqual((await shellWords(run)).slice(0, 5), [
        "dicomtls",
        "run",
        "SUITE",
        "--pki",
        out,
      ]);
      // PowerShell: a single-quoted path, a quote inside doubled.
      assert.ok(
        line("powershell").includes(`-File '${out.replaceAll("'", "''")}/import-windows.ps1'`),
        line("powershell"),
      );

      assert.equal(init.code, 0, init.stderr);
      const steps = init.stdout.split("\n").map((l) => l.trim());
      const pki = steps.find((l) => l.startsWith("1. "))!.slice(3);
      const runLine = steps.find((l) => l.startsWith("3. "))!.slice(3);
      assert.deepEqual(await shellWords(pki), [
        "dicomtls",
        "pki",
        `${device}/pki.yaml`,
        "--out",
        `${device}/pki`,
      ]);
      assert.deepEqual((await shellWords(runLine)).slice(0, 3), ["dicomtls", "run", device]);
      const comment = (await Deno.readTextFile(`${device}/device.yaml`)).split("\n")
        .find((l) => l.startsWith("#   dicomtls run"))!.slice(4);
      assert.deepEqual((await shellWords(comment)).slice(0, 3), ["dicomtls", "run", device]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
