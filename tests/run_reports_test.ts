/**
 * Reports of `dicomtls run` for pipes and CI (issues 13 and 14), as a
 * subprocess against the in-process reference AE (scenarios/demo/chain.yaml):
 * `--json -` on stdout, `/dev/stdout` left a symbolic link, an unwritable
 * report folder refused before the first case, a failed write after the run
 * still showing the results (exit 3), and an interrupt while the reports are
 * written leaving the old set or the new one and no temporary file.
 */
import assert from "node:assert/strict";
import { spawnDicomtls } from "../src/testing/cli.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SUITE = `${ROOT}scenarios/demo/chain.yaml`;
const CASES = 13;
const cache = await Deno.makeTempDir({ prefix: "dicomtls-run-reports-cache-" });
globalThis.addEventListener("unload", () => Deno.removeSync(cache, { recursive: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `dicomtls run SUITE ARGS...`; `onLine` sees each stdout/stderr text chunk and may act on it. */
async function run(
  args: string[],
  options: { env?: Record<string, string>; onText?: (all: string, kill: () => void) => void } = {},
): Promise<Run> {
  const proc = spawnDicomtls(["run", SUITE, "--pki-cache", cache, ...args], {
    env: options.env,
  });
  let seen = "";
  const read = async (stream: ReadableStream<Uint8Array>) => {
    let text = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      seen += chunk;
      options.onText?.(seen, () => proc.kill("SIGINT"));
    }
    return text;
  };
  const [stdout, stderr, status] = await Promise.all([
    read(proc.stdout),
    read(proc.stderr),
    proc.status,
  ]);
  return { code: status.code, stdout, stderr };
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-run-reports-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("run --json - writes results.json to stdout and the progress and summary to stderr", async () => {
  const r = await run(["--json", "-"]);
  assert.equal(r.code, 0, r.stderr);
  const results = JSON.parse(r.stdout);
  assert.deepEqual(
    { total: results.summary.total, passed: results.summary.passed },
    { total: CASES, passed: CASES },
  );
  assert.match(r.stderr, new RegExp(`^${CASES} passed, 0 failed`, "m"));
  assert.match(r.stderr, /^PASS /m);
});

Deno.test("run --json /dev/stdout is -: the JSON alone on stdout, /dev/stdout left a symbolic link", async () => {
  const r = await run(["--json", "/dev/stdout"]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await Deno.lstat("/dev/stdout")).isSymlink, "/dev/stdout was replaced");
  assert.equal(JSON.parse(r.stdout).schemaVersion, 1);
});

Deno.test("run --reports below a regular file fails before the first case, exit 2, one line", async () =>
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/a-file`, "x");
    const r = await run(["--reports", `${dir}/a-file/sub`]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "", "no case ran");
    assert.equal(
      r.stderr.trim(),
      `dicomtls run: cannot write report ${dir}/a-file/sub/junit.xml: ${dir}/a-file is not a folder (a file is in the way) (hint: choose a folder you can write for the reports)`,
    );
  }));

Deno.test("a report that cannot be written after the run still shows the results, exit 3", async () =>
  await withDir(async (dir) => {
    // After the check before the first case, something takes results.json's place.
    const r = await run(["--reports", `${dir}/reports`], {
      onText: (all) => {
        if (/^PASS /m.test(all)) Deno.mkdirSync(`${dir}/reports/results.json`, { recursive: true });
      },
    });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, new RegExp(`^${CASES} passed, 0 failed`, "m"));
    assert.match(
      r.stderr,
      /^dicomtls run: cannot write report .*results\.json: it is a folder \(existing file left unchanged\)/m,
    );
    const left = [...Deno.readDirSync(`${dir}/reports`)].map((e) => e.name).sort();
    assert.deepEqual(left, ["results.json"], "no report of the set and no temporary file");
  }));

/** Which run wrote each report: "old" when it is byte for byte the first run's, else "new" once checked complete. */
async function generation(dir: string, old: Record<string, string>): Promise<string[]> {
  const ends: Record<string, (text: string) => boolean> = {
    "junit.xml": (t) => t.trimEnd().endsWith("</testsuites>"),
    "report.html": (t) => t.trimEnd().endsWith("</html>"),
    "results.json": (t) => JSON.parse(t).summary.total === CASES,
  };
  return await Promise.all(
    Object.keys(ends).map(async (name) => {
      const text = await Deno.readTextFile(`${dir}/${name}`);
      if (text === old[name]) return "old";
      assert.ok(ends[name](text), `${name} is neither the old report nor a complete new one`);
      return "new";
    }),
  );
}

Deno.test("SIGINT right after the last case leaves the old set or the new set and no temporary file", async () =>
  await withDir(async (dir) => {
    const reports = `${dir}/reports`;
    const tmp = `${dir}/tmp`;
    await Deno.mkdir(tmp);
    const first = await run(["--reports", reports]);
    assert.equal(first.code, 0, first.stderr);
    const old = Object.fromEntries(
      ["junit.xml", "report.html", "results.json"].map((n) => [
        n,
        Deno.readTextFileSync(`${reports}/${n}`),
      ]),
    );
    // The summary line is printed after the last case, just before the reports are written.
    let sent = false;
    const second = await run(["--reports", reports, "--json", "-"], {
      env: { TMPDIR: tmp },
      onText: (all, kill) => {
        if (!sent && /^\d+ passed, /m.test(all)) {
          sent = true;
          kill();
        }
      },
    });
    assert.ok(sent, second.stderr);
    // 0: the new set was written before the signal; 3: the signal stopped the writing (the old
    // set stays, "interrupted by SIGINT"); 130: it came before the writing began.
    assert.ok([0, 3, 130].includes(second.code), `exit ${second.code}: ${second.stderr}`);
    const left = [...Deno.readDirSync(reports)].map((e) => e.name).sort();
    assert.deepEqual(left, ["junit.xml", "report.html", "results.json"], "temporary files left");
    assert.deepEqual([...Deno.readDirSync(tmp)], [], "temporary files left in TMPDIR");
    const generations = await generation(reports, old);
    assert.equal(new Set(generations).size, 1, `a mixed set: ${generations}`);
  }));
