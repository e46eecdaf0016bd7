/**
 * The documentation stays true: the README opens with the two commands, every
 * link of the README and docs/ resolves (file and heading), no internal name
 * stands in for an explanation, every option a command is shown with is one
 * its --help lists (and every option and schema key is named somewhere in
 * docs/), and the suites of docs/scenarios.md and docs/inbound.md
 * are what users copy, so they must load (and the complete example, run
 * against storescp, does what its comments say).
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSuite } from "../src/scenario/mod.ts";
import { COMMANDS } from "../src/cli/commands.ts";
import { freePort } from "../src/process/mod.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

async function docFiles(): Promise<string[]> {
  const files = [join(root, "README.md")];
  for await (const e of Deno.readDir(join(root, "docs"))) {
    if (e.isFile && e.name.endsWith(".md")) files.push(join(root, "docs", e.name));
  }
  return files.sort();
}

/** The first ```yaml block after `heading` in docs/`doc`: what users copy. */
async function docYaml(doc: string, heading: string): Promise<string> {
  const text = await Deno.readTextFile(join(root, "docs", doc));
  return /```yaml\n([\s\S]*?)```/.exec(text.slice(text.indexOf(heading)))![1];
}

// GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes.
function anchors(markdown: string): Set<string> {
  const outside = markdown.replace(/^```[\s\S]*?^```/gm, "");
  return new Set(
    [...outside.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1].toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-")
    ),
  );
}

Deno.test("the README opens with the demo and test commands", async () => {
  const readme = await Deno.readTextFile(join(root, "README.md"));
  const first = /```sh\n([\s\S]*?)```/.exec(readme)!;
  assert.ok(first.index < readme.indexOf("\n## "), "the commands come before any section");
  assert.match(first[1], /^npx -y deno@2 task demo /m);
  assert.match(first[1], /^npx -y deno@2 task test /m);
  assert.match(readme, /DICOMTLS_REQUIRE_PEERS=1/);
});

Deno.test("every link in the README and docs/ points at a file and heading that exist", async () => {
  const broken: string[] = [];
  for (const file of await docFiles()) {
    const text = await Deno.readTextFile(file);
    const prose = text.replace(/^```[\s\S]*?^```/gm, "");
    for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split("#");
      const linked = path ? join(dirname(file), path) : file;
      const where = `${relative(root, file)} -> ${target}`;
      let content: string | undefined;
      try {
        const info = await Deno.stat(linked);
        if (info.isFile) content = await Deno.readTextFile(linked);
      } catch {
        broken.push(`${where}: no such file`);
        continue;
      }
      if (anchor && !(content !== undefined && anchors(content).has(anchor))) {
        broken.push(`${where}: no such heading`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

Deno.test("the docs explain the security model in words, not by an internal name", async () => {
  for (const file of await docFiles()) {
    const text = await Deno.readTextFile(file);
    assert.doesNotMatch(text, /IDCXSEC|\bseed\b/, relative(root, file));
  }
});

Deno.test("the complete scenario example of docs/scenarios.md loads, with every case and matrix entry", async () => {
  const example = await docYaml("scenarios.md", "## A complete example");
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-docs-" });
  try {
    await Deno.mkdir(join(dir, "data"));
    // validate reads a store file whole, as store would send it.
    await Deno.copyFile(join(root, "fixtures/ae/secondary_capture.dcm"), join(dir, "data/ct.dcm"));
    // The example names the standard PKI; a smaller one with the same names keeps the test fast.
    const small = join(root, "fixtures/scenarios-broken/_pki/small.yaml");
    const text = example.replace(/^pki: \S+/m, `pki: ${small}`);
    assert.notEqual(text, example);
    await Deno.writeTextFile(join(dir, "example.yaml"), text);
    const suite = await loadSuite({
      file: join(dir, "example.yaml"),
      env: {},
      pkiCacheDir: join(dir, "cache"),
    });
    assert.equal(suite.instances.length, 2);
    assert.equal(suite.cases.length, 18);
    assert.equal(suite.instances[0].concurrency, 1);
    const stored = suite.cases.find((c) => c.operation === "store")!;
    assert.deepEqual(stored.files, [join(dir, "data/ct.dcm")]);
    assert.equal(suite.cases.find((c) => c.skip)!.skip, "storescp is started without +crl here");
    assert.equal(suite.cases.filter((c) => c.expect.fails).length, 6);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every option shown after 'dicomtls COMMAND' in the README and docs/ is in that command's --help", async () => {
  const options = new Map<string, Set<string>>();
  for (const c of COMMANDS) {
    const { usage } = await c.load();
    // --help is every command's (the README says so once), not listed in each usage.
    options.set(c.name, new Set([...usage.match(/--[a-z][a-z0-9-]*/g) ?? [], "--help"]));
  }
  const names = COMMANDS.map((c) => c.name).join("|");
  const unknown: string[] = [];
  for (const file of await docFiles()) {
    // A shell line continued with a backslash is one command, at the line it starts on.
    const lines = (await Deno.readTextFile(file)).split("\n");
    const joined = lines.map((_, i) => {
      if (i > 0 && lines[i - 1].endsWith("\\")) return "";
      let line = lines[i];
      for (let j = i; lines[j].endsWith("\\") && j + 1 < lines.length; j++) {
        line = line.slice(0, -1) + lines[j + 1];
      }
      return line;
    });
    joined.forEach((line, i) => {
      // One command: up to the end of its code span, a comment, a pipe or the next sentence.
      for (const m of line.matchAll(new RegExp(`dicomtls (${names})\\b[^\`\\n]*`, "g"))) {
        const command = m[0].split(/ # | \| |;|\)\.|, and /)[0];
        for (const [option] of command.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)) {
          if (!options.get(m[1])!.has(option)) {
            unknown.push(`${relative(root, file)}:${i + 1}: dicomtls ${m[1]} ${option}`);
          }
        }
      }
    });
  }
  assert.deepEqual(unknown, []);
});

// Every property name a JSON Schema defines, at any depth.
function schemaKeys(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => schemaKeys(s, into));
  else if (schema && typeof schema === "object") {
    const { properties } = schema as { properties?: Record<string, unknown> };
    if (properties && typeof properties === "object") {
      Object.keys(properties).forEach((k) => into.add(k));
    }
    Object.values(schema).forEach((s) => schemaKeys(s, into));
  }
  return into;
}

async function docsText(): Promise<string> {
  const files = (await docFiles()).filter((f) => f.includes(`${join(root, "docs")}/`));
  return (await Promise.all(files.map((f) => Deno.readTextFile(f)))).join("\n");
}

Deno.test("every key of the scenario, AE config, PKI and probe schemas is named in docs/", async () => {
  const docs = await docsText();
  const missing: string[] = [];
  for (const name of ["scenario", "ae", "pki", "probe"]) {
    const file = join(root, "schemas", `${name}.schema.json`);
    for (const key of schemaKeys(JSON.parse(await Deno.readTextFile(file)))) {
      if (!new RegExp(`(?<![\\w-])${key}(?![\\w-])`).test(docs)) missing.push(`${name}: ${key}`);
    }
  }
  assert.deepEqual(missing, []);
});

Deno.test("every option in a command's --help is named in docs/", async () => {
  const docs = await docsText();
  const missing: string[] = [];
  for (const c of COMMANDS) {
    const { usage } = await c.load();
    for (const option of new Set(usage.match(/(?<![\w-])--[a-z][a-z0-9-]*/g))) {
      if (!new RegExp(`(?<![\\w-])${option}(?![\\w-])`).test(docs)) {
        missing.push(`dicomtls ${c.name} ${option}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

Deno.test("every error line the docs quote from fixtures/scenarios-broken/ is the one validate gives", async () => {
  const quoted: string[] = [];
  for (const file of await docFiles()) {
    const text = await Deno.readTextFile(file);
    for (const [line, name] of text.matchAll(/^fixtures\/scenarios-broken\/([\w-]+)\.yaml:.*$/gm)) {
      // The .expected file is what scenario_broken_test sees validate print.
      const expected = join(root, "fixtures/scenarios-broken", `${name}.expected`);
      assert.equal(line, (await Deno.readTextFile(expected)).trimEnd(), relative(root, file));
      quoted.push(name);
    }
  }
  assert.ok(quoted.length >= 2, quoted.join(", "));
});

Deno.test("the inbound suite of docs/inbound.md loads, with its four cases", async () => {
  const example = await docYaml("inbound.md", "## A suite");
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-docs-inbound-" });
  try {
    // Written for scenarios/dcmtk/: its PKI spec from there.
    const text = example.replace(/^pki: \.\.\/\.\.\//m, `pki: ${root}`);
    assert.notEqual(text, example);
    await Deno.writeTextFile(join(dir, "inbound.yaml"), text);
    const suite = await loadSuite({
      file: join(dir, "inbound.yaml"),
      env: {},
      pkiCacheDir: join(dir, "cache"),
    });
    assert.equal(suite.cases.length, 4);
    assert.equal(suite.cases.filter((c) => c.expect.fails).length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Run as written against the storescp it starts: passes and known failures, not a wall of
// failures from a detail (such as storescp presenting its certificate without the intermediate).
Deno.test({
  name: "the complete scenario example runs against storescp with every case as its comments say",
  ignore: !havePeer("storescp", "dcmtk"),
  async fn() {
    const example = await docYaml("scenarios.md", "## A complete example");
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-docs-run-" });
    try {
      await Deno.mkdir(join(dir, "data"));
      await Deno.copyFile(
        join(root, "fixtures/ae/secondary_capture.dcm"),
        join(dir, "data/ct.dcm"),
      );
      // Its own folder instead of docs/, and a free port instead of 11112.
      const text = example.replace(/^pki: \.\.\//m, `pki: ${root}`)
        .replaceAll("11112", String(freePort()));
      await Deno.writeTextFile(join(dir, "example.yaml"), text);
      const r = await runDicomtls([
        "run",
        "example.yaml",
        "--json",
        "results.json",
        "--pki-cache",
        join(dir, "cache"),
      ], { cwd: dir });
      const { summary } = JSON.parse(await Deno.readTextFile(join(dir, "results.json")));
      assert.deepEqual(
        {
          code: r.code,
          passed: summary.passed,
          failed: summary.failed,
          errors: summary.errors,
          skipped: summary.skipped,
        },
        { code: 0, passed: 10, failed: 0, errors: 0, skipped: 2 },
        r.stdout + r.stderr,
      );
      assert.match(r.stdout, /6 expected failures/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
