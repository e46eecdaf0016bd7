/**
 * Scale (issue 14): a generated suite of 100,000 cases (a matrix of 100
 * entries times 1,000 C-ECHO cases, every fifth with an expired client
 * certificate that the SUT refuses) against the reference AE started by the
 * suite in the runner's process (`start: reference`, as scenarios/demo does).
 *
 * (a) In this process: the time to load and expand the suite (parse,
 * validate, PKI from a warm cache, interpolate, 100,000 cases) and select
 * them, then the time the runner takes to schedule every case (grouping by
 * suite instance and book-keeping, measured with the run already stopped, so
 * no case runs). Target: load + expand + schedule < 10 s.
 *
 * (b) `dicomtls run FILE --reports DIR` as a subprocess, its VmHWM sampled
 * from /proc every 100 ms: wall time and peak RSS. Target: peak RSS < 400 MB.
 *
 * `deno run -A bench/scale_bench.ts [CASES]` (default 100000, a multiple of
 * 100) ; `--load-only` skips (b). Prints figures and targets side by side, PASS
 * or MISS; a MISS does not fail the bench (figures depend on the machine's
 * load), a wrong case result does. Loopback only.
 */
import { join } from "node:path";
import { runSuites } from "../src/runner/run.ts";
import { loadSuites, selectCases } from "../src/scenario/mod.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const MOD = join(ROOT, "mod.ts");
const DEMO_PKI = join(ROOT, "fixtures/pki/demo.yaml");
const ENTRIES = 100;

const total = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const loadOnly = Deno.args.includes("--load-only");
const perEntry = Math.max(1, Math.round(total / ENTRIES));

function suiteYaml(): string {
  const cases = Array.from(
    { length: perEntry },
    (_, i) =>
      i % 5 === 4
        ? `  - { name: echo ${i} expired, harness: { certificate: client-expired }, expect: { tls: refused-by-peer } }`
        : `  - { name: echo ${i}, expect: { echo: success } }`,
  );
  return [
    `suite: ${ENTRIES * perEntry} cases against the in-process reference AE`,
    `pki: ${DEMO_PKI}`,
    "peers:",
    "  sut:",
    "    role: scp",
    "    ae: REFERENCE",
    "    host: 127.0.0.1",
    "    port: 0",
    "    start:",
    "      reference:",
    "        ae: REFERENCE",
    "        security:",
    "          cert: ${pki.server.chain}",
    "          key: ${pki.server.key}",
    "          verify: chain",
    '          ca: ["${pki.root.crt}"]',
    "          mutual: true",
    "  harness: { ae: HARNESS, certificate: client, trust: [root], verify: chain }",
    `matrix: { entry: [${Array.from({ length: ENTRIES }, (_, i) => i + 1).join(", ")}] }`,
    "defaults: { timeout: 10s }",
    "cases:",
    ...cases,
    "",
  ].join("\n");
}

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(8)} s`;

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

/** (a): load + expand + select, then schedule with the run stopped before it starts. */
async function benchLoad(file: string, pkiCache: string) {
  // Warm the PKI cache first: its generation is not what this bench measures.
  await loadSuites([file], { pkiCacheDir: pkiCache, maxCases: 1 }).catch(() => {});
  const [suites, loadMs] = await timed(() => loadSuites([file], { pkiCacheDir: pkiCache }));
  const [cases, selectMs] = await timed(() => selectCases(suites.flatMap((s) => s.cases)));
  const stopped = new AbortController();
  stopped.abort();
  const [run, scheduleMs] = await timed(() => runSuites({ suites, cases, signal: stopped.signal }));
  if (run.summary.total !== cases.length || run.summary.interrupted !== cases.length) {
    throw new Error(`scheduling lost cases: ${JSON.stringify(run.summary)}`);
  }
  const sum = loadMs + selectMs + scheduleMs;
  console.log(
    `(a) ${cases.length.toLocaleString("en")} cases in ${
      suites[0].instances.length
    } matrix entries`,
  );
  console.log(`    load + expand (loadSuites)        ${seconds(loadMs)}`);
  console.log(`    select (selectCases)              ${seconds(selectMs)}`);
  console.log(`    schedule (runSuites, no case run) ${seconds(scheduleMs)}`);
  console.log(
    `    load + expand + schedule          ${seconds(sum)}  (target < 10 s) ${
      verdict(sum < 10_000)
    }`,
  );
}

/** `dicomtls ARGS...` as a subprocess: exit code, last output lines, peak RSS (VmHWM, kB). */
async function dicomtls(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let peakKb = 0;
  let running = true;
  const sample = (async () => {
    while (running) {
      try {
        const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch { /* exited between samples */ }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  // Keep only the tail of 100,000 progress lines.
  let tail = "";
  const keep = async (stream: ReadableStream<Uint8Array>) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      tail = (tail + text).slice(-4000);
    }
  };
  const [status] = await Promise.all([child.status, keep(child.stdout), keep(child.stderr)]);
  running = false;
  await sample;
  return { code: status.code, tail, peakKb };
}

/** (b): the whole run as a subprocess. */
async function benchRun(file: string, pkiCache: string, tmp: string) {
  const reports = join(tmp, "reports");
  const [run, ms] = await timed(() =>
    dicomtls(["run", file, "--pki-cache", pkiCache, "--reports", reports])
  );
  const results = await Deno.readTextFile(join(reports, "results.json")).then(JSON.parse, () => {
    throw new Error(`dicomtls run exited ${run.code} without results.json:\n${run.tail}`);
  });
  const { passed, total: all } = results.summary;
  if (run.code !== 0 || passed !== all) {
    throw new Error(`dicomtls run exited ${run.code}, ${passed}/${all} passed:\n${run.tail}`);
  }
  const mb = run.peakKb / 1024;
  console.log(`(b) dicomtls run (subprocess, concurrency 4, --reports)`);
  console.log(`    wall time                         ${seconds(ms)}  (${passed}/${all} passed)`);
  console.log(`    of which the cases (durationMs)   ${seconds(results.durationMs)}`);
  console.log(
    `    peak RSS (VmHWM)                  ${mb.toFixed(0).padStart(6)} MB  (target < 400 MB) ${
      verdict(mb < 400)
    }`,
  );
  for (const name of ["junit.xml", "report.html", "results.json"]) {
    const size = (await Deno.stat(join(reports, name))).size;
    console.log(`    ${name.padEnd(33)} ${(size / 1048576).toFixed(1).padStart(6)} MB`);
  }
}

const tmp = await Deno.makeTempDir({ prefix: "dicomtls-scale-bench-" });
try {
  const file = join(tmp, "scale.yaml");
  await Deno.writeTextFile(file, suiteYaml());
  const pkiCache = join(tmp, "pki-cache");
  await benchLoad(file, pkiCache);
  if (!loadOnly) await benchRun(file, pkiCache, tmp);
} finally {
  await Deno.remove(tmp, { recursive: true });
}
