/**
 * Report paths of `dicomtls run` that an adversarial new user tried, as a
 * subprocess against the in-process reference AE (scenarios/demo/chain.yaml):
 * every other name of stdout behaves like `-` (the report alone on stdout,
 * also redirected to a file), /dev/stderr is refused, and a path that cannot
 * take a report is refused before the first case (exit 2, one line, nothing
 * written, no input replaced). Refusals in a test run in one child process
 * (src/testing/cli_batch.ts) but a path in /dev/, which names the process's
 * own stdout or stderr: a child per refusal spent ~1 CPU-second loading run's
 * modules.
 */
import assert from "node:assert/strict";
import { dicomtlsCommand, runDicomtls } from "../src/testing/cli.ts";
import { runDicomtlsBatch } from "../src/testing/cli_batch.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SUITE = `${ROOT}scenarios/demo/chain.yaml`;
const CASES = 13;
const cache = await Deno.makeTempDir({ prefix: "dicomtls-report-paths-cache-" });
globalThis.addEventListener("unload", () => Deno.removeSync(cache, { recursive: true }));

/** `dicomtls run ARGS...` (the suite first unless `suites` says otherwise). */
async function run(args: string[], options: { suites?: string[]; cwd?: string } = {}) {
  return await runDicomtls(
    ["run", ...(options.suites ?? [SUITE]), "--pki-cache", cache, ...args],
    { cwd: options.cwd },
  );
}

/** The same with stdout redirected to `file` by a shell, as `> file` does. */
async function runToFile(args: string[], file: string) {
  const command = dicomtlsCommand(["run", SUITE, "--pki-cache", cache, ...args]);
  const { code, stderr } = await new Deno.Command("sh", {
    args: ["-c", 'out="$1"; shift; exec "$@" > "$out"', "sh", file, ...command],
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-report-paths-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function assertAllPassed(json: string) {
  const results = JSON.parse(json);
  assert.deepEqual(
    { total: results.summary.total, passed: results.summary.passed },
    { total: CASES, passed: CASES },
  );
}

/**
 * `dicomtls run SUITES... ARGS...` for each line in `cwd`: those without a /dev/ path in one
 * child process, the others in a child each; the results in order.
 */
async function runAll(lines: { suites?: string[]; args: string[] }[], cwd: string) {
  const argv = (l: { suites?: string[]; args: string[] }) => [
    "run",
    ...(l.suites ?? [SUITE]),
    "--pki-cache",
    cache,
    ...l.args,
  ];
  const own = (l: { args: string[] }) => l.args.some((a) => a.startsWith("/dev/"));
  const batch = await runDicomtlsBatch(
    lines.filter((l) => !own(l)).map((l) => ({ args: argv(l), cwd })),
    { cwd },
  );
  const results = [];
  for (const l of lines) results.push(own(l) ? await run(l.args, { ...l, cwd }) : batch.shift()!);
  return results;
}

// Refused before the first case: exit 2, one line with a hint, nothing on stdout.
async function assertRefused(
  cases: { suites?: string[]; args: string[]; message: string }[],
  dir: string,
): Promise<void> {
  const results = await runAll(cases, dir);
  for (const [i, { args, message }] of cases.entries()) {
    const r = results[i];
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(r.stdout, "", "no case ran");
    assert.match(r.stderr.trim(), /^dicomtls run: [^\n]*\(hint: [^\n]*\)$/);
    assert.ok(r.stderr.includes(message), r.stderr);
  }
}

Deno.test("--json /dev/stdout redirected to a file leaves the JSON alone in it, the progress on stderr", async () =>
  await withDir(async (dir) => {
    const r = await runToFile(["--json", "/dev/stdout"], `${dir}/out.json`);
    assert.equal(r.code, 0, r.stderr);
    assertAllPassed(await Deno.readTextFile(`${dir}/out.json`));
    assert.match(r.stderr, new RegExp(`^${CASES} passed, 0 failed`, "m"));
    assert.doesNotMatch(r.stderr, /^wrote /m, "stdout is not a file that was written");
  }));

Deno.test("--json /dev/fd/1 or /proc/self/fd/1 in a pipe: stdout is the JSON alone", async () => {
  for (const path of ["/dev/fd/1", "/proc/self/fd/1"]) {
    const r = await run(["--json", path]);
    assert.equal(r.code, 0, r.stderr);
    assertAllPassed(r.stdout);
    assert.match(r.stderr, /^PASS /m, path);
  }
});

Deno.test("--json /dev/stderr is refused before the first case: stderr carries the progress", async () => {
  const r = await run(["--json", "/dev/stderr"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "", "no case ran");
  assert.equal(
    r.stderr.trim(),
    "dicomtls run: cannot write report /dev/stderr: it is stderr, where the progress and messages go (hint: send the report to - (stdout) or to a file)",
  );
});

Deno.test("two reports to one destination are refused before the first case, nothing written", async () =>
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/same.json`, "old");
    await Deno.symlink("same.json", `${dir}/link.json`);
    await Deno.mkdir(`${dir}/reports`);
    const oneFile = "two reports would be written to one file";
    const cases: [string[], string][] = [
      [
        ["--json", "same.json", "--junit", "same.json"],
        `${oneFile}: --junit same.json and --json same.json`,
      ],
      [
        ["--json", "./same.json", "--html", `${dir}/reports/../same.json`],
        `${oneFile}: --html ${dir}/reports/../same.json and --json ./same.json`,
      ],
      [
        ["--json", "same.json", "--junit", "link.json"],
        `${oneFile}: --junit link.json and --json same.json`,
      ],
      [
        ["--reports", "reports", "--junit", "reports/results.json"],
        `${oneFile}: --junit reports/results.json and --reports reports/results.json`,
      ],
      [
        ["--json", "-", "--html", "/dev/stdout"],
        "more than one report is to go to stdout (--html /dev/stdout, --json -)",
      ],
      [
        ["--json", "/dev/stdout", "--junit", "/dev/stdout"],
        "more than one report is to go to stdout (--junit /dev/stdout, --json /dev/stdout)",
      ],
    ];
    await assertRefused(cases.map(([args, message]) => ({ args, message })), dir);
    assert.equal(await Deno.readTextFile(`${dir}/same.json`), "old");
    assert.deepEqual([...Deno.readDirSync(`${dir}/reports`)], [], "nothing written, no probe left");
  }));

Deno.test("a report path that is an input of the run is refused before the first case, the input intact", async () =>
  await withDir(async (dir) => {
    await Deno.mkdir(`${dir}/own`);
    const suite = (await Deno.readTextFile(SUITE))
      .replace("pki: ../../fixtures/pki/demo.yaml", `pki: ${ROOT}fixtures/pki/demo.yaml`);
    await Deno.writeTextFile(`${dir}/own/s.yaml`, suite);
    await Deno.writeTextFile(`${dir}/own/vars.yaml`, "unused: 1\n");
    // Loading the suite (no case selected) makes its PKI in the cache: the credentials to protect.
    const load = await run(["--filter", "no such case"], { suites: ["own/s.yaml"], cwd: dir });
    assert.match(load.stderr, /no case selected/);
    const pki = [...Deno.readDirSync(cache)].find((e) =>
      e.name.startsWith("demo-") && e.isDirectory
    )!
      .name;
    const key = `${cache}/${pki}/client.key`;
    const before = {
      suite: await Deno.readTextFile(`${dir}/own/s.yaml`),
      vars: await Deno.readTextFile(`${dir}/own/vars.yaml`),
      key: await Deno.readTextFile(key),
    };
    const cases: [string[], string[], string][] = [
      [
        ["own/s.yaml"],
        ["--vars", "own/vars.yaml", "--junit", "own/vars.yaml", "--html", "own/s.yaml"],
        "cannot write report own/s.yaml: it would replace the suite",
      ],
      [["own/s.yaml"], ["--vars", "own/vars.yaml", "--json", "own/vars.yaml"], "the --vars file"],
      [["own"], ["--json", "own/./s.yaml"], "it would replace the suite own/s.yaml"],
      [["own"], ["--html", "own/vars.yaml"], "it would replace a YAML file of the suite folder"],
      [
        ["own/s.yaml"],
        ["--json", key],
        `cannot write report ${key}: it would replace a credential`,
      ],
      [
        ["own/s.yaml"],
        ["--pki", `${cache}/${pki}`, "--junit", key],
        `cannot write report ${key}: it would replace a file of --pki`,
      ],
    ];
    await assertRefused(cases.map(([suites, args, message]) => ({ suites, args, message })), dir);
    assert.deepEqual(before, {
      suite: await Deno.readTextFile(`${dir}/own/s.yaml`),
      vars: await Deno.readTextFile(`${dir}/own/vars.yaml`),
      key: await Deno.readTextFile(key),
    });
  }));

Deno.test("a report path that names a folder, or is empty, is refused before the first case", async () =>
  await withDir(async (dir) => {
    const cases: [string[], string][] = [
      [["--json", "newdir/"], "cannot write report newdir/: it names a folder (it ends in /)"],
      [["--json", `${dir}/a/../x/../`], `: it names a folder (it ends in /)`],
      [["--html", `${dir}/new/..`], `: it names a folder (it ends in ..)`],
      [["--junit", "."], "cannot write report .: it is a folder"],
      [["--json", ""], "cannot write report '': the path is empty"],
      [["--reports", ""], "--reports: the folder path is empty"],
    ];
    await assertRefused(cases.map(([args, message]) => ({ args, message })), dir);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "no folder made, nothing written");
  }));

Deno.test("a file in the way of a report's folder is named, not the folder above it", async () =>
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/afile`, "x");
    const paths = ["afile/", "afile/report.html", "afile/sub/report.html"];
    const results = await runAll(paths.map((path) => ({ args: ["--html", path] })), dir);
    for (const [i, path] of paths.entries()) {
      const r = results[i];
      assert.equal(r.code, 2, r.stderr);
      assert.equal(
        r.stderr.trim(),
        `dicomtls run: cannot write report ${path}: afile is not a folder (a file is in the way) (hint: choose a folder you can write for the reports)`,
      );
    }
    assert.equal(await Deno.readTextFile(`${dir}/afile`), "x");
  }));

Deno.test("a suite named twice (its folder and itself) runs once, with a note on stderr", async () =>
  await withDir(async (dir) => {
    await Deno.mkdir(`${dir}/own`);
    const suite = (await Deno.readTextFile(SUITE))
      .replace("pki: ../../fixtures/pki/demo.yaml", `pki: ${ROOT}fixtures/pki/demo.yaml`);
    await Deno.writeTextFile(`${dir}/own/s.yaml`, suite);
    const r = await run(["--json", "-"], {
      suites: ["own", "own/s.yaml", "./own/s.yaml"],
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const results = JSON.parse(r.stdout);
    assert.equal(results.summary.total, CASES);
    assert.equal(results.suites.length, 1);
    const notes = r.stderr.split("\n").filter((l) => l.includes("note:"));
    assert.deepEqual(notes, [
      "dicomtls run: note: own/s.yaml is named more than once: it runs once",
      "dicomtls run: note: ./own/s.yaml is own/s.yaml again: it runs once",
    ]);
  }));
