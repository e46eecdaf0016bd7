/**
 * Every command given bad input, as a person or a script would type it, in
 * the real program (its main(), many lines in one child process, checked
 * against a child per line for a few): exit 2 with one line that names what
 * is wrong, no stack, no "internal error", nothing raw from the input on the
 * terminal, an end in bounded time (a device as a file, a 200 MB file), and
 * no file written or replaced. A table of cases found by hand, then a
 * randomized pass (fixed seed) composing flags from each command's --help.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { dicomtlsCommand } from "../src/testing/cli.ts";
import { runDicomtlsBatch } from "../src/testing/cli_batch.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { COMMANDS } from "../src/cli/mod.ts";
import { renderJson } from "../src/report/mod.ts";
import { sampleRun } from "../src/testing/sample_run.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
// A terminal acts on these: ESC [ 2 J clears the screen, BEL rings, RLO reorders the line.
const HOSTILE = "A\x1b[2J\x07\u202eB";
// deno-lint-ignore no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]/;
// Longer than any case needs (a PKI load, a refused connection); a hang ends here as a failure.
const GUARD_MS = 60_000;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  hung: boolean;
}

// `dicomtls ARGS` in `cwd` in a child process of its own, killed if it outlives the guard.
async function dicomtlsChild(args: string[], cwd = root): Promise<Ran> {
  const [program, ...rest] = dicomtlsCommand(args);
  const child = new Deno.Command(program, {
    args: rest,
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, GUARD_MS);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(guard);
  const d = new TextDecoder();
  return { code, stdout: d.decode(stdout), stderr: d.decode(stderr), hung };
}

// Each `dicomtls ARGS` in `cwd`, all in one child process: a child per line spent
// 0.3-0.9 CPU-seconds loading the program on each of ~150 lines; a test below checks that
// a child of its own says the same.
function dicomtls(lines: string[][], cwd = root): Promise<Ran[]> {
  return runDicomtlsBatch(lines.map((args) => ({ args, cwd })), { cwd: root, guardMs: GUARD_MS });
}

// The shape every refusal has: one line, the command named, nothing raw, no stack.
function assertRefused(args: string[], r: Ran, expected?: RegExp) {
  const what = `dicomtls ${JSON.stringify(args)}\n${r.stderr}${r.stdout}`;
  assert.ok(!r.hung, `hung: ${what}`);
  assert.equal(r.code, 2, what);
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 1, what);
  if (args[0] !== "validate") assert.match(lines[0], /^dicomtls( [a-z]+)?: /, what);
  assert.doesNotMatch(r.stderr, /internal error|Uncaught|^\s+at |Stack backtrace/m, what);
  assert.doesNotMatch(r.stderr + r.stdout, RAW_CONTROL, what);
  assert.ok(lines[0].length < 600, `a line of ${lines[0].length} characters: ${what}`);
  if (expected) assert.match(lines[0], expected, what);
}

// Every failing check, not only the first: a table is read whole.
function assertAll(checks: (() => void)[]) {
  const failed = checks.flatMap((check) => {
    try {
      check();
      return [];
    } catch (e) {
      return [(e as Error).message];
    }
  });
  assert.equal(failed.length, 0, `${failed.length} of ${checks.length}:\n${failed.join("\n\n")}`);
}

// Runs `jobs` two at a time (the machine's cores), in order of their results.
async function inPairs<T, R>(items: T[], job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

interface Fixtures {
  dir: string;
  jpeg: string;
  empty: string;
  folder: string;
  big: string;
  missing: string;
  crt: string;
  key: string;
  der: string;
  p12: string;
  ca: string;
}

async function fixtures(): Promise<Fixtures> {
  const pki = await testPki();
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-cli-fuzz-" });
  const jpeg = join(dir, "photo.jpg");
  await Deno.writeFile(
    jpeg,
    new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...new TextEncoder().encode("JFIF"), 0, 1])
      .slice(0, 12),
  );
  await Deno.writeFile(jpeg, new Uint8Array(600).fill(7), { append: true });
  const empty = join(dir, "empty");
  await Deno.writeFile(empty, new Uint8Array());
  const folder = join(dir, "folder");
  await Deno.mkdir(folder);
  // 200 MB without writing them: a sparse file reads as zeros.
  const big = join(dir, "big.bin");
  using f = await Deno.open(big, { create: true, write: true });
  await f.truncate(200 * 1024 * 1024);
  return {
    dir,
    jpeg,
    empty,
    folder,
    big,
    missing: join(dir, "missing"),
    crt: pkiFile(pki, "client", "crt"),
    key: pkiFile(pki, "client", "key"),
    der: pkiFile(pki, "client", "der"),
    p12: pkiFile(pki, "client", "p12"),
    ca: pkiFile(pki, "root", "crt"),
  };
}

const T = "127.0.0.1:11112";

// [args, what the line must say]
function table(x: Fixtures): [string[], RegExp][] {
  const echo = ["echo", T, "--called", "X"];
  const none = [...echo, "--verify", "none"];
  const serve = ["serve", "--port", "0", "--cert", x.crt, "--key", x.key, "--verify", "none"];
  return [
    // options: twice, missing values, values that are options, DCMTK spellings, hostile names
    [[...echo, "--called", "Y"], /option '--called' given twice, as 'X' and 'Y'/],
    [["pki", "s.yaml", "--out", "a", "--out=b"], /option '--out' given twice/],
    [[...echo, "--timeout"], /option '--timeout <value>' argument missing/],
    [["echo", T, "--called", "--cert"], /option '--called' has no value \('--cert' is an option/],
    [[...echo, "-aec", "Y"], /did you mean --called \(DCMTK's -aec\)/],
    [[...echo, "+cf", x.ca], /did you mean --ca \(DCMTK's \+cf\)/],
    [["serve", "-aet", "ME"], /did you mean --ae \(DCMTK's -aet\)/],
    [["serve", "-od", "out"], /did you mean --storage \(DCMTK's -od\)/],
    [[...echo, `--${HOSTILE}`], /unknown option '--A\\x1B\[2J\\x07\\u\{202E\}B'/],
    [[...echo, "--json=1"], /'--json' does not take an argument/],
    [[HOSTILE], /unknown command 'A\\x1B/],
    [["ehco"], /unknown command 'ehco' \(hint: did you mean 'echo'\?/],
    [["version", "--json"], /version takes no arguments/],
    [["help", "nope"], /unknown command 'nope'/],
    // targets, hosts, ports, AE titles
    [["echo", "127.0.0.1:99999", "--called", "X"], /port 99999 is out of range/],
    [["echo", "127.0.0.1:0", "--called", "X"], /port 0 is out of range/],
    [["echo", "[::1]", "--called", "X"], /expected HOST:PORT, got '\[::1\]'/],
    [["echo", "[127.0.0.1:11112", "--called", "X"], /expected HOST:PORT, got '\[127/],
    [["probe", T, "--profile", "all", "--profile", "bcp196"], /no profile 'bcp196'/],
    [["probe", "[::1]:99999"], /out of range.*e\.g\. dicomtls probe \[::1\]:11112\)/],
    [["echo", "host name:11112", "--called", "X"], /host "host name" has spaces/],
    [["echo", "hôst:11112", "--called", "X"], /neither an IP address nor a DNS name/],
    [["echo", `${HOSTILE}:11112`, "--called", "X"], /has spaces or control characters/],
    [["echo", T, "--called", "ABCDEFGHIJKLMNOPQ"], /17 characters, more than 16/],
    [["echo", T, "--called", "A\\B"], /has a backslash/],
    [["echo", T, "--called", HOSTILE], /--called: AE title .* control character/],
    [["echo", T, "--called", ""], /--called: the AE title is empty/],
    [["serve", "--accept-calling", "ABCDEFGHIJKLMNOPQ"], /--accept-calling: .*more than 16/],
    [["listen", "--host", "ho st", "--cert", x.crt, "--key", x.key], /--host: host "ho st"/],
    [["serve", "--host", HOSTILE, "--cert", x.crt, "--key", x.key], /--host: host "A\\u001b/],
    [["init", join(x.dir, "i"), "--host", "127.0.0.1:99999"], /--host: host "127\.0\.0\.1:99999"/],
    [["init", join(x.dir, "i"), "--port", "65536"], /--port must be a whole number from 1/],
    [["serve", "--port", "99999"], /--port must be a whole number from 0 to 65535/],
    [["listen", "--port", "-1", "--cert", x.crt, "--key", x.key], /--port must be .* not '-1'/],
    // numbers, durations, shards
    [[...echo, "--timeout", "5 s"], /--timeout must be a duration/],
    [[...echo, "--timeout", ""], /--timeout must be a duration .* not ''/],
    [["probe", T, "--timeout", "0"], /--timeout must be from 10ms to 10m, not '0'/],
    [["probe", T, "--concurrency", "257"], /--concurrency must be a whole number from 1 to 256/],
    [["run", "scenarios/demo", "--shard", "3/2"], /--shard must be K\/N with 1 <= K <= N/],
    [["run", "scenarios/demo", "--shard", "0/2"], /--shard must be K\/N/],
    [["run", "scenarios/demo", "--shard", "1/0"], /--shard must be K\/N/],
    [["run", "scenarios/demo", "--concurrency", "2.5"], /--concurrency must be a whole number/],
    [["run", "scenarios/demo", "--deadline", "25h"], /--deadline must be a duration/],
    [["serve", "--max-object-size", "5T"], /--max-object-size must be a size/],
    [["serve", "--duplicates", "nope"], /--duplicates must be keep-both, replace or refuse/],
    // empty paths: the working folder would be written unasked
    [["init", ""], /DIR: the folder path is empty/],
    [["pki", "fixtures/pki/standard.yaml", "--out", ""], /--out: the folder path is empty/],
    [["run", "scenarios/demo", "--pki-cache", ""], /--pki-cache: the folder path is empty/],
    [["run", "scenarios/demo", "--pki", ""], /--pki: the folder path is empty/],
    [["run", "scenarios/demo", "--reports", ""], /--reports: the folder path is empty/],
    [["demo", "--out", ""], /--out: the folder path is empty/],
    [["demo", "extra"], /demo takes no arguments, got 'extra'/],
    [["demo", "--out", x.jpeg], /cannot write report .*photo\.jpg/],
    // files of the wrong kind: devices, folders, missing, empty, binary, huge
    [[...echo, "--ca", "/dev/zero"], /trust anchor \/dev\/zero: it is not a regular file/],
    [[...echo, "--ca", x.big], /larger than the 8 MiB a trust anchor may be/],
    [[...echo, "--ca", x.folder], /trust anchor .*folder: it is a folder/],
    [[...echo, "--ca", x.missing], /trust anchor .*missing: no such file/],
    [[...echo, "--ca", x.jpeg], /holds no certificate \(neither PEM nor DER\)/],
    [[...echo, "--ca", x.empty], /holds no certificate/],
    [[...none, "--p12", x.big, "--password", "x"], /big\.bin: cannot read file: it is larger/],
    [
      [...none, "--p12", "/dev/zero", "--password", "x"],
      /\/dev\/zero: cannot read file: it is not/,
    ],
    [[...none, "--p12", x.jpeg, "--password", "x"], /not a PKCS#12 file: it does not start as DER/],
    [[...none, "--p12", x.empty, "--password", "x"], /not a PKCS#12 file: it is empty/],
    [[...none, "--cert", x.crt, "--key", x.jpeg], /not a private key in PEM \(no -----BEGIN/],
    [[...none, "--p12", x.crt], /not a PKCS#12 file: it is PEM text \(certificate\)/],
    [[...none, "--cert", x.der, "--key", x.key], /client\.der: no PEM certificate found/],
    [[...none, "--cert", "/dev/zero", "--key", x.key], /it is not a regular file/],
    [[...none, "--cert", x.crt, "--key", x.big], /it is larger than the 8 MiB/],
    [[...none, "--cert", x.crt], /cert and key go together/],
    [[...none, "--cert", x.crt, "--key", x.key, "--password", "p"], /--password opens a PKCS#12/],
    [["probe", T, "--password", "p"], /--password opens a PKCS#12 file, and no --p12/],
    [["probe", T, "--p12", "/dev/zero"], /it is not a regular file/],
    [["run", "scenarios/demo", "--vars", "/dev/zero"], /\/dev\/zero: it is not a regular file/],
    [["run", "scenarios/demo", "--vars", x.big], /larger than the 1 MiB a YAML file may be/],
    [["run", "scenarios/demo", "--vars", x.folder], /folder: it is a folder/],
    [["run", x.jpeg], /photo\.jpg: it is binary \(a NUL byte at offset 4\), not YAML text/],
    [["serve", "--config", "/dev/zero"], /it is not a regular file/],
    [["serve", "--config", x.empty], /the AE config is empty/],
    [[...serve, "--storage", ""], /the storage folder path is empty/],
    [[...serve, "--storage", x.jpeg], /photo\.jpg: it exists and is not a folder/],
    [["pki", "/dev/zero", "--out", join(x.dir, "p")], /it is not a regular file/],
    [["pki", x.jpeg, "--out", join(x.dir, "p")], /is binary/],
    [["store", T, "/dev/zero", "--called", "X", "--verify", "none"], /it is not a regular file/],
    [
      ["store", T, x.missing, "--called", "X", "--verify", "none"],
      /missing: cannot read: no such file/,
    ],
    [
      ["store", T, x.jpeg, "--called", "X", "--verify", "none"],
      /: not a DICOM Part 10 file: no 'DICM'/,
    ],
    [["merge", "/dev/zero"], /\/dev\/zero: it is not a regular file/],
    [["merge", x.folder], /folder: it is a folder/],
    [["merge", x.empty], /JSON syntax error/],
    [["validate", HOSTILE], /no such file or folder: A\\x1B/],
    [["validate", "scenarios/demo", "--pki", x.empty], /empty:1:1: the document must be a mapping/],
    [["merge", join(dirname(x.ca), "manifest.json")], /not the results of a dicomtls run/],
  ];
}

Deno.test("every command refuses bad input with one line naming the problem, exit 2, in bounded time", async () => {
  const x = await fixtures();
  try {
    const cases = table(x);
    const results = await dicomtls(cases.map(([args]) => args));
    assertAll(cases.map(([args, expected], i) => () => assertRefused(args, results[i], expected)));
    // Nothing the refused commands named was made.
    for (const made of ["i", "p"]) {
      assert.equal(await Deno.lstat(join(x.dir, made)).then(() => true, () => false), false);
    }
  } finally {
    await Deno.remove(x.dir, { recursive: true });
  }
});

Deno.test("the program in a child process of its own exits and prints what it does in a batch", async () => {
  const x = await fixtures();
  try {
    // Hostile input in a command's name and in a path, the heaviest command's module (run),
    // a device as a file, validate's own line form, and a command that succeeds on stdout.
    const cases = [
      [HOSTILE],
      ["validate", HOSTILE],
      ["run", "scenarios/demo", "--shard", "3/2"],
      ["echo", T, "--called", "X", "--ca", "/dev/zero"],
      ["serve", "--config", x.empty],
      ["version"],
    ];
    const children = await inPairs(cases, (args) => dicomtlsChild(args));
    const batch = await dicomtls(cases);
    assertAll(cases.map((args, i) => () => {
      const what = `dicomtls ${JSON.stringify(args)}`;
      if (args[0] === "version") assert.equal(children[i].code, 0, what);
      else assertRefused(args, children[i]);
      assert.deepEqual(batch[i], children[i], what);
    }));
  } finally {
    await Deno.remove(x.dir, { recursive: true });
  }
});

Deno.test("a refused command writes nothing into the working folder and leaves earlier reports as they were", async () => {
  const x = await fixtures();
  const cwd = await Deno.makeTempDir({ prefix: "dicomtls-cli-fuzz-cwd-" });
  try {
    const reports = join(cwd, "reports");
    await Deno.mkdir(reports);
    const earlier = {
      "junit.xml": "<testsuites/>",
      "report.html": "<p>good</p>",
      "results.json": renderJson(sampleRun()),
    };
    for (const [name, text] of Object.entries(earlier)) {
      await Deno.writeTextFile(join(reports, name), text);
    }
    const demo = join(root, "scenarios/demo");
    const refused: string[][] = [
      ["init", ""],
      ["run", demo, "--pki-cache", ""],
      ["demo", "--out", ""],
      ["run", demo, "--reports", "reports", "--concurrency", "0"],
      ["run", demo, "--reports", "reports", "--vars", "/dev/zero"],
      ["run", demo, "--reports", "reports", "--shard", "3/2"],
      ["run", demo, "--reports", "reports", "--timeout", "1", "--timeout", "2"],
      ["run", x.jpeg, "--reports", "reports"],
      // merge's report over the results it reads
      ["merge", "reports/results.json", "--html", "reports/results.json"],
      ["merge", "reports/results.json", "--json", "./reports/results.json"],
    ];
    const results = await dicomtls(refused, cwd);
    assertAll(refused.map((args, i) => () => assertRefused(args, results[i])));
    const left = [];
    for await (const e of Deno.readDir(cwd)) left.push(e.name);
    assert.deepEqual(left, ["reports"]);
    for (const [name, text] of Object.entries(earlier)) {
      assert.equal(await Deno.readTextFile(join(reports, name)), text, name);
    }
  } finally {
    await Deno.remove(cwd, { recursive: true });
    await Deno.remove(x.dir, { recursive: true });
  }
});

// Each command's long options as its --help lists them, and those that take one value
// (a VALUE after them, not repeatable: no "..." nor "repeat" on their line).
async function optionsOf(name: string): Promise<{ all: string[]; single: string[] }> {
  const entry = COMMANDS.find((c) => c.name === name)!;
  const { usage } = await entry.load();
  const lines = usage.split("\n").filter((l) => /^\s+(-\w, )?--[a-z]/.test(l));
  const option = (l: string) => /--[a-z][a-z0-9-]*/.exec(l)![0];
  const single = lines.filter((l) =>
    /^\s+(-\w, )?--[a-z][a-z0-9-]* [A-Z]/.test(l) && !/\.\.\.|repeat/.test(l)
  );
  // --vars is repeatable, as the line after it says.
  const one = single.map(option).filter((o) => o !== "--vars");
  return { all: [...new Set(lines.map(option))], single: [...new Set(one)] };
}

Deno.test("merge --help lists its flags as the other commands do, so the randomized pass composes them", async () => {
  const { all, single } = await optionsOf("merge");
  assert.deepEqual(all.sort(), ["--html", "--json", "--junit", "--junit-strict"]);
  assert.deepEqual(single.sort(), ["--html", "--json", "--junit"]);
});

// A small deterministic generator (mulberry32): the same cases on every run.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Command lines per command in CI (each a whole process); DICOMTLS_CLI_FUZZ_LINES explores further.
const LINES_PER_COMMAND = Number(Deno.env.get("DICOMTLS_CLI_FUZZ_LINES") ?? 3);

Deno.test("randomized: flags composed from each command's --help, each line with one certain mistake, are refused cleanly", async () => {
  const x = await fixtures();
  try {
    const next = random(20261130);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const values = [
      "",
      " ",
      HOSTILE,
      "-1",
      "0",
      "99999",
      "1e3",
      "3/2",
      "5 minutes",
      "--cert",
      "[::1]",
      "127.0.0.1:99999",
      "ABCDEFGHIJKLMNOPQ",
      "A\\B",
      x.jpeg,
      x.empty,
      x.folder,
      x.missing,
      x.der,
      x.crt,
      "/dev/zero",
      x.big,
    ];
    // Mistakes caught before anything is read, connected or started.
    const mistakes = (single: string[]) => [
      () => ["-aec", "X"],
      () => ["+tls"],
      () => [`--${HOSTILE}`],
      () => ["--no-such-option"],
      ...(single.length
        ? [() => {
          const o = pick(single);
          return [o, "first", `${o}=second`];
        }]
        : []),
    ];
    const cases: string[][] = [];
    for (const { name } of COMMANDS) {
      const { all, single } = await optionsOf(name);
      const options = all.filter((o) => o !== "--help");
      for (let n = 0; n < LINES_PER_COMMAND; n++) {
        const args: string[] = [];
        if (next() < 0.7) args.push(pick([T, "scenarios/demo", HOSTILE, x.jpeg, ""]));
        for (let k = Math.floor(next() * 4); k > 0; k--) {
          const o = pick(options);
          args.push(...(next() < 0.5 ? [o, pick(values)] : [`${o}=${pick(values)}`]));
        }
        const mistake = pick(mistakes(single))();
        args.splice(Math.floor(next() * (args.length + 1)), 0, ...mistake);
        cases.push([name, ...args]);
      }
    }
    const results = await dicomtls(cases);
    assertAll(cases.map((args, i) => () => assertRefused(args, results[i])));
  } finally {
    await Deno.remove(x.dir, { recursive: true });
  }
});

Deno.test({
  name:
    "a file that cannot be read for its permissions is said so (not as root, who reads anything)",
  ignore: Deno.build.os === "windows" || Deno.uid() === 0,
  async fn() {
    const x = await fixtures();
    try {
      const locked = join(x.dir, "locked.crt");
      await Deno.copyFile(x.crt, locked);
      await Deno.chmod(locked, 0o000);
      const args = ["echo", T, "--called", "X", "--ca", locked];
      assertRefused(args, await dicomtlsChild(args), /locked\.crt: permission denied/);
    } finally {
      await Deno.remove(x.dir, { recursive: true });
    }
  },
});

Deno.test("SIGTERM or SIGINT during a run keeps the finished cases in the reports, the rest interrupted, exit 1", async () => {
  const out = await Deno.makeTempDir({ prefix: "dicomtls-cli-fuzz-signal-" });
  try {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const [program, ...args] = dicomtlsCommand([
        "run",
        "scenarios/demo",
        "--reports",
        out,
        "--concurrency",
        "1",
      ]);
      const child = new Deno.Command(program, {
        args,
        cwd: root,
        env: { NO_COLOR: "1" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      // Two cases finished, then the signal.
      while ((text.match(/^PASS /gm) ?? []).length < 2) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      child.kill(signal);
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += r.value;
      const { code } = await child.status;
      const stderr = await new Response(child.stderr).text();
      assert.equal(code, 1, `${signal}: ${text}${stderr}`);
      assert.doesNotMatch(stderr, /internal error|Uncaught/);
      const run = JSON.parse(await Deno.readTextFile(join(out, "results.json")));
      assert.equal(run.interrupted, true, signal);
      assert.ok(run.summary.passed >= 2, `${signal}: ${JSON.stringify(run.summary)}`);
      assert.equal(run.summary.passed + run.summary.interrupted, run.summary.total);
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
