// The input fuzzer: every valid input the project ships (each suite of
// scenarios/, the suites and files `dicomtls init` writes, the PKI specs of
// fixtures/pki/, the reference AE config, a --vars file), mutated structurally
// and textually, must give exit 0 (still valid) or exit 2 with one clear line
// per problem (file:line:column, what, a hint): never an internal error, a
// stack trace, an unhandled rejection or a warning of a package, and within
// 10 s. Deterministic: a fixed seed, a bounded number of runs.
import assert from "node:assert/strict";
import process from "node:process";
import { dirname, join, relative, resolve } from "node:path";
import { parse } from "yaml";
import { fileURLToPath } from "node:url";
import { main } from "../mod.ts";
import { loadAeConfig, resolveAeConfig } from "../src/reference_ae/mod.ts";
import { InputError, InputErrors } from "../src/yaml/mod.ts";
import { captureConsole, dicomtlsCommand } from "../src/testing/cli.ts";
import { fc } from "../src/testing/fast_check.ts";
import { mutate, type Mutation, mutations } from "../src/testing/yaml_mutations.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const work = await Deno.makeTempDir({ prefix: "dicomtls-fuzz-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));
const cache = join(work, "cache");

// Whatever escapes a command: a rejection nobody awaited, a package's warning.
const escaped: string[] = [];
globalThis.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  escaped.push(`unhandled rejection: ${e.reason instanceof Error ? e.reason.stack : e.reason}`);
});
// Taken as it is emitted: the "warning" event comes ticks later, so in CI the warning of this
// file's own parse() of a sibling (below) reached the next command's `escaped` and failed it.
process.emitWarning = (w: string | Error) => {
  escaped.push(`warning: ${typeof w === "string" ? w : w.message}`);
};

// A copy of the repository made of symbolic links, with real folders down to
// `file`, so that a mutant written beside it finds what the original's
// relative paths name.
async function mirror(file: string): Promise<string> {
  const parts = relative(ROOT, file).split("/").slice(0, -1);
  let real = ROOT;
  let copy = join(work, "repo");
  for (const part of ["", ...parts]) {
    real = join(real, part);
    copy = join(copy, part);
    await Deno.mkdir(copy, { recursive: true });
    for await (const e of Deno.readDir(real)) {
      if (e.isDirectory && e.name === parts[parts.indexOf(part) + 1]) continue;
      await Deno.symlink(join(real, e.name), join(copy, e.name)).catch((err) => {
        if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
      });
    }
  }
  return copy;
}

type Kind = "suite" | "pki" | "ae" | "vars";
interface Seed {
  /** The valid file. */
  file: string;
  kind: Kind;
  /** Flags the command needs besides the file (a suite's --vars and --pki). */
  flags: string[];
  /** For a vars seed: the suite it gives values to. */
  suite?: string;
}

const seeds: Seed[] = [];
for (const dir of ["scenarios", "fixtures/scenarios-broken"]) {
  for await (const e of walk(join(ROOT, dir))) {
    // Its mutants sit at the limit of 1,000,000 cases, which loads in about 30 s: by design.
    if (!e.endsWith(".yaml") || e.endsWith("/too-many-cases.yaml")) continue;
    const text = await Deno.readTextFile(e);
    if (/^(authorities|certificates|defaults):/m.test(text) && !/^suite:/m.test(text)) {
      seeds.push({ file: e, kind: "pki", flags: [] });
    } else seeds.push({ file: e, kind: "suite", flags: [] });
  }
}
for await (const e of Deno.readDir(join(ROOT, "fixtures/pki"))) {
  if (e.name.endsWith(".yaml")) {
    seeds.push({ file: join(ROOT, "fixtures/pki", e.name), kind: "pki", flags: [] });
  }
}
seeds.push({ file: join(ROOT, "fixtures/ae/ae.yaml"), kind: "ae", flags: [] });

// What `dicomtls init` writes, its PKI generated once: the suite and its vars file.
const device = join(work, "device");
{
  const init = await captureConsole(() => main(["init", device, "--host", "127.0.0.1"]));
  assert.equal(init.value, 0, init.err.join("\n"));
  const pki = await captureConsole(() =>
    main(["pki", join(device, "pki.yaml"), "--out", join(device, "pki")])
  );
  assert.equal(pki.value, 0, pki.err.join("\n"));
  const vars = ["--vars", join(device, "vars.yaml")];
  seeds.push({ file: join(device, "device.yaml"), kind: "suite", flags: vars });
  seeds.push({ file: join(device, "pki.yaml"), kind: "pki", flags: [] });
  seeds.push({
    file: join(device, "vars.yaml"),
    kind: "vars",
    flags: [],
    suite: join(device, "device.yaml"),
  });
  // scenarios/device names a PKI folder 'pki' the user generates: the init one serves.
  for (
    const s of seeds.filter((s) => s.file.includes("/scenarios/device/") && s.kind === "suite")
  ) {
    s.flags = ["--pki", join(device, "pki"), ...vars];
  }
}
seeds.sort((a, b) => a.file.localeCompare(b.file));

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* walk(path);
    else if (e.isFile) yield path;
  }
}

// A line that says what is wrong where and how to fix it: `FILE:LINE:COL: what (hint: how)`,
// or, for a problem with no position (a file that cannot be read), `FILE: what (hint: how)`.
const CLEAR_LINE =
  /^(dicomtls [a-z]+: )?(?<file>[^\s:][^:]*?)(:(?<line>\d+):(?<col>\d+))?: \S.* \(hint: \S.*\)$/;
// A hang detector, not a speed target: a mutant that expands without end takes minutes. A
// validate that also makes the suite's PKI took 11.7 s on a loaded 2-core machine (10 s failed).
const LIMIT_MS = 30_000;

interface Result {
  code: number;
  err: string[];
  out: string[];
  ms: number;
}

async function dicomtls(args: string[]): Promise<Result> {
  // What other test files left (their warnings) is not this command's.
  escaped.length = 0;
  const began = performance.now();
  const { value: code, err, out } = await captureConsole(() => main(args));
  // A warning or a rejection nobody awaited shows up a turn later.
  await new Promise((r) => setTimeout(r, 0));
  return { code, err, out, ms: performance.now() - began };
}

// The checks every command's answer to a mutant must pass.
function assertClear(r: Result, what: string, limitMs = LIMIT_MS) {
  const all = [...r.err, ...r.out].join("\n");
  assert.ok([0, 2].includes(r.code), `${what}: exit ${r.code}\n${all}`);
  assert.doesNotMatch(
    all,
    /internal error|Uncaught|^\s+at |Maximum call stack/m,
    `${what}:\n${all}`,
  );
  assert.ok(r.ms < limitMs, `${what}: ${Math.round(r.ms)} ms`);
  if (r.code === 2) {
    assert.ok(r.err.length > 0, `${what}: exit 2 and nothing said`);
    for (const line of r.err) {
      // A line of a note (run's "note: ...") is not a problem line.
      if (/^dicomtls [a-z]+: note: /.test(line)) continue;
      assert.match(line, CLEAR_LINE, `${what}: not one clear line:\n${all}`);
    }
  }
  const leaked = escaped.splice(0);
  assert.deepEqual(leaked, [], `${what}: escaped the command`);
}

let n = 0;
async function check(seed: Seed, list: Mutation[]): Promise<void> {
  let original = await Deno.readTextFile(seed.file);
  // RSA keys take seconds to generate, EC keys milliseconds: the spec is what is under test.
  if (seed.kind === "pki") original = original.replaceAll(/rsa-\d+/g, "ec-p256");
  const bytes = mutate(original, list);
  const dir = seed.file.startsWith(ROOT) ? await mirror(seed.file) : dirname(seed.file);
  const file = join(dir, `_mutant${n++}.yaml`);
  await Deno.writeFile(file, bytes);
  const what = `${relative(ROOT, seed.file)} ${JSON.stringify(list)} -> ${file}`;
  try {
    switch (seed.kind) {
      case "suite":
      case "vars": {
        const target = seed.kind === "vars" ? ["--vars", file, seed.suite!] : [file];
        const validate = await dicomtls([
          "validate",
          "--pki-cache",
          cache,
          ...seed.flags,
          ...target,
        ]);
        assertClear(validate, `validate ${what}`);
        if (validate.code !== 2) return;
        if (seed.kind === "suite" && n % 20 === 0) await checkFolder(file, validate);
        // What validate refuses, run refuses alike, and before it writes over any report.
        const reports = join(work, "reports");
        await Deno.mkdir(reports, { recursive: true });
        await Deno.writeTextFile(join(reports, "junit.xml"), "<testsuites/>");
        const run = await dicomtls([
          "run",
          "--pki-cache",
          cache,
          ...seed.flags,
          ...target,
          "--reports",
          reports,
        ]);
        assertClear(run, `run ${what}`);
        assert.equal(run.code, 2, `run ${what}`);
        assert.deepEqual(
          run.err.filter((l) => !/^dicomtls run: note: /.test(l)),
          validate.err.map((l) => `dicomtls run: ${l.replace(/^dicomtls validate: /, "")}`),
          `run ${what}`,
        );
        assert.equal(await Deno.readTextFile(join(reports, "junit.xml")), "<testsuites/>");
        return;
      }
      case "pki": {
        const r = await dicomtls(["pki", file, "--out", join(work, "pki-out", String(n))]);
        assertClear(r, `pki ${what}`);
        return;
      }
      case "ae": {
        escaped.length = 0;
        const began = performance.now();
        let err: string[] = [];
        let settings;
        try {
          settings = await loadAeConfig(file);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          err = (e instanceof InputErrors ? e.errors : [e]).map((p) => p.message);
        }
        try {
          // What the file lacks the flags may give ("needs its own certificate"): no position.
          if (settings) resolveAeConfig(settings);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          assert.match(e.message, /^[^\n]+ \(hint: [^\n]+\)$/, `ae config ${what}`);
        }
        await new Promise((r) => setTimeout(r, 0));
        assertClear(
          { code: err.length ? 2 : 0, err, out: [], ms: performance.now() - began },
          `ae config ${what}`,
        );
        return;
      }
    }
  } finally {
    await Deno.remove(file);
  }
}

// DICOMTLS_FUZZ_SEED and DICOMTLS_FUZZ_RUNS explore further than CI does (a seed it printed replays).
const SEED = Number(Deno.env.get("DICOMTLS_FUZZ_SEED") ?? 20261130);
const RUNS = Number(Deno.env.get("DICOMTLS_FUZZ_RUNS") ?? 200);

// The mutant's folder (its siblings, the suites beside the original) validated at once: every
// problem of the mutant as alone, and a line for every other file (nothing lost).
async function checkFolder(file: string, alone: Result) {
  const dir = dirname(file);
  const r = await dicomtls(["validate", "--pki-cache", cache, dir]);
  // Each suite of the folder within the bound (the first look generates their PKIs).
  assertClear(r, `validate ${dir}`, LIMIT_MS * (r.out.length + r.err.length));
  // In a folder, a file that is no suite at all (empty, a list) is listed as ignored, with why.
  if (!r.out.some((l) => l.startsWith(`${file}: ignored: `))) {
    assert.equal(r.code, 2, `validate ${dir}`);
    for (const line of alone.err) assert.ok(r.err.includes(line), `validate ${dir}: ${line}`);
  }
  const lines = [...r.out, ...r.err];
  for await (const e of Deno.readDir(dir)) {
    if (!e.name.endsWith(".yaml")) continue;
    const path = join(dir, e.name);
    // A suite whose PKI spec is broken is said at the spec's line (once for all its users).
    const spec = pkiSpecOf(path);
    assert.ok(
      lines.some((l) => l.startsWith(path) || (spec !== undefined && l.startsWith(`${spec}:`))),
      `validate ${dir}: ${path}?`,
    );
  }
}

// The PKI spec a suite file names (`pki: FILE`), as a path from the working folder's view.
function pkiSpecOf(suite: string): string | undefined {
  try {
    // Quiet: a sibling such as collection-key.yaml is made to warn, and this is not the command.
    const text = Deno.readTextFileSync(suite);
    const pki = (parse(text, { logLevel: "error" }) as { pki?: unknown } | null)?.pki;
    return typeof pki === "string" ? resolve(dirname(suite), pki) : undefined;
  } catch {
    return undefined;
  }
}

const suites = seeds.filter((s) => s.kind === "suite" || s.kind === "vars");
const others = seeds.filter((s) => s.kind === "pki" || s.kind === "ae");

Deno.test("the fuzzer starts from every valid input the project ships", () => {
  for (const kind of ["suite", "pki", "ae", "vars"]) {
    assert.ok(seeds.some((s) => s.kind === kind), kind);
  }
  assert.ok(suites.length >= 20, `${suites.length} suites`);
});

// `runs` mutants of the seeds in `list`, each checked.
function fuzz(list: Seed[], runs: number): Promise<void> {
  return fc.assert(
    fc.asyncProperty(fc.nat({ max: list.length - 1 }), mutations(3), (i, m) => check(list[i], m)),
    { seed: SEED, numRuns: runs, endOnFailure: true },
  );
}

Deno.test("every mutated suite or vars file is valid, or refused with one clear line per problem, exit 2", () =>
  fuzz(suites, RUNS));

Deno.test("every mutated PKI spec or AE config is valid, or refused with one clear line per problem, exit 2", () =>
  fuzz(others, Math.ceil(RUNS / 4)));

Deno.test("validate answers each pathological file of a folder in one line, within 20 s and a 256 MB heap, and still says the good suite is ok", async () => {
  const dir = join(work, "pathological");
  await Deno.mkdir(dir);
  const broken = join(ROOT, "fixtures/scenarios-broken");
  const head = "suite: s\npeers:\n  sut: { role: scp, ae: SUT, host: 127.0.0.1, port: 104 }\n";
  const echo = "cases:\n  - name: echo\n    expect: { echo: success }\n";
  const files: Record<string, string> = {
    "good.yaml": head + echo,
    "alias-bomb.yaml": await Deno.readTextFile(join(broken, "alias-bomb.yaml")),
    "matrix-1e9.yaml": await Deno.readTextFile(join(broken, "matrix-too-large.yaml")),
    "deep-flow.yaml": `${head}${echo}    tags: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`,
    "deep-block.yaml": head + echo +
      Array.from({ length: 3_000 }, (_, i) => `${" ".repeat(4 + i)}a:\n`).join(""),
    "deep-aliases.yaml": head + echo + "x:\n" +
      Array.from({ length: 1_400 }, (_, i) => `  a${i}: &a${i} [${i ? `*a${i - 1}` : 1}]\n`).join(
        "",
      ),
    "fifty-megabytes.yaml": head + echo + `# ${"x".repeat(50 * 1024 * 1024)}\n`,
    "endless-pki.yaml": `${head}pki: /dev/zero\n${echo}`,
  };
  for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), text);
  const [program, ...args] = dicomtlsCommand(["validate", "--pki-cache", cache, dir]);
  // The heap cap makes an expansion that allocates a crash (V8's out of memory), not a slow pass.
  args.splice(1, 0, "--v8-flags=--max-old-space-size=256");
  const began = performance.now();
  const child = await new Deno.Command(program, {
    args,
    env: { NO_COLOR: "1" },
    stdin: "null",
    // Killed past a minute: a file read without end must fail the test, not hang it.
    signal: AbortSignal.timeout(60_000),
  }).output();
  const ms = performance.now() - began;
  const [out, err] = [child.stdout, child.stderr].map((b) => new TextDecoder().decode(b).trimEnd());
  assert.equal(child.code, 2, err);
  assert.equal(out, `${join(dir, "good.yaml")}: ok: 1 case`);
  const lines = err.split("\n");
  const bad = Object.keys(files).filter((n) => n !== "good.yaml").sort();
  assert.deepEqual(lines.map((l) => l.slice(dir.length + 1).split(":")[0]), bad, err);
  for (const line of lines) assert.match(line, CLEAR_LINE);
  assert.ok(ms < 20_000, `${Math.round(ms)} ms`);
});
