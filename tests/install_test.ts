/**
 * dicomtls runs anywhere: installed with `deno install -g` as the docs say,
 * it validates suites and runs the demo and a device suite of one's own from
 * a folder outside the repository; the program's lockfile holds only what it
 * runs (test-only packages are in dev.lock), so `deno task demo` on an empty
 * Deno cache fetches only that, and Deno prints no warning box on the way.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { installDicomtls, runDenoTask } from "../src/testing/cli.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const TEST_ONLY = ["fast-check", "playwright-core", "dcmjs", "dcmjs-dimse", "core-js-pure"];

// "name@version" of every npm package a lockfile pins.
async function pinned(file: string): Promise<string[]> {
  const lock = JSON.parse(await Deno.readTextFile(join(root, file)));
  return Object.keys(lock.npm ?? {});
}
const nameOf = (pin: string) => pin.slice(0, pin.lastIndexOf("@"));

Deno.test("deno.lock, the program's lockfile, pins no test-only package, each at the version dev.lock pins", async () => {
  const program = await pinned("deno.lock");
  const dev = new Set(await pinned("dev.lock"));
  assert.ok(program.length > 0);
  assert.deepEqual(program.filter((p) => TEST_ONLY.includes(nameOf(p))), []);
  assert.deepEqual(program.filter((p) => !dev.has(p)), [], "the tests test what the program runs");
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  assert.deepEqual(Object.keys(config.imports).filter((n) => TEST_ONLY.includes(n)), []);
  // Every package the program imports is pinned (a `deno run --lock=deno.lock` of another
  // entry prunes the lockfile to that entry's graph: this catches it).
  const lock = JSON.parse(await Deno.readTextFile(join(root, "deno.lock")));
  const names = Object.keys(lock.specifiers ?? {}).map((s) => nameOf(s.replace(/^npm:/, "")));
  assert.deepEqual(Object.keys(config.imports).filter((n) => !names.includes(n)), []);
});

async function run(bin: string, args: string[], cwd: string) {
  const { code, stdout, stderr } = await new Deno.Command(bin, {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code, out: d.decode(stdout) + d.decode(stderr) };
}

Deno.test("dicomtls installed with deno install -g validates, runs the demo and scaffolds a device from a folder outside the repository", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "dicomtls-install-" });
  try {
    const { bin } = await installDicomtls({ root: join(tmp, "root") });
    const work = join(tmp, "work");
    await Deno.mkdir(work);
    const version = await run(bin, ["--version"], work);
    assert.equal(version.code, 0, version.out);
    assert.match(version.out, /^dicomtls \d+\.\d+\.\d+ /);
    const validate = await run(bin, ["validate", join(root, "scenarios/demo")], work);
    assert.equal(validate.code, 0, validate.out);
    assert.doesNotMatch(validate.out, /Warning|deno\.json/);
    const demo = await run(bin, ["demo"], work);
    assert.equal(demo.code, 0, demo.out);
    assert.match(demo.out, /open reports\/demo\/report\.html/);
    await Deno.stat(join(work, "reports/demo/report.html"));
    // A device of one's own: scaffolded, its PKI generated, its suite valid.
    assert.equal((await run(bin, ["init", "mydevice", "--ae", "PACS"], work)).code, 0);
    const spec = join(work, "mydevice/pki.yaml");
    // EC keys: the same names, generated in a moment (the scaffold's RSA keys take seconds).
    await Deno.writeTextFile(spec, (await Deno.readTextFile(spec)).replace("rsa-2048", "ec-p256"));
    const pki = await run(bin, ["pki", "mydevice/pki.yaml", "--out", "mydevice/pki", "-q"], work);
    assert.equal(pki.code, 0, pki.out);
    const own = await run(bin, ["validate", "mydevice", "--vars", "mydevice/vars.yaml"], work);
    assert.equal(own.code, 0, own.out);
    assert.match(own.out, /mydevice\/device\.yaml: ok: 14 cases/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("deno task demo on an empty Deno cache fetches only what the program runs, with no warning box", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "dicomtls-fresh-" });
  try {
    const r = await runDenoTask("demo", ["--out", join(tmp, "demo")], {
      env: { DENO_DIR: join(tmp, "deno") },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const fetched = [
      ...r.stderr.matchAll(/Download https:\/\/\S+?\/(@[^/\s]+\/[^/\s]+|[^/\s@]+)\/-\//g),
    ]
      .map((m) => m[1].replace("%2f", "/"));
    assert.ok(fetched.includes("yaml"), r.stderr);
    assert.deepEqual(fetched.filter((name) => TEST_ONLY.includes(name)), []);
    assert.doesNotMatch(r.stderr, /Warning|Ignored build scripts|lifecycle scripts/i);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
