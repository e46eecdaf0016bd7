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
 * (b) `dicomtls run FILE` as a subprocess, its VmHWM sampled from /proc
 * every 100 ms: wall time and peak RSS of running the cases (console lines and
 * summary, no report files). Target: peak RSS < 400 MB. With `--reports` the
 * run also writes junit.xml, report.html and results.json and their sizes
 * are printed (the peak then includes rendering them; measured at 100,000
 * cases: results.json exceeds V8's longest string and is not written).
 *
 * `deno run -A bench/scale_bench.ts [CASES] [--load-only] [--reports]`
 * (CASES default 100000, rounded to a multiple of 100). About 25 minutes for
 * 100,000 cases on 2 cores. Prints figures and targets side by side, PASS or
 * MISS; a MISS does not fail the bench (figures depend on the machine's
 * load), a wrong case result does. Loopback only.
 */
import { join } from "node:path";
import { runSuites } from "../src/runner/run.ts";
import { loadSuites, selectCases } from "../src/scenario/mod.ts";
import { dicomtls, inProcessReferenceAe } from "./_dicomtls.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const DEMO_PKI = join(ROOT, "fixtures/pki/demo.yaml");
const ENTRIES = 100;

const total = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const loadOnly = Deno.args.includes("--load-only");
const withReports = Deno.args.includes("--reports");
const PER_ENTRY = Math.max(1, Math.round(total / ENTRIES));

/** The suite: `entries` matrix entries of `perEntry` cases each. */
function suiteYaml(entries = ENTRIES, perEntry = PER_ENTRY): string {
  const cases = Array.from(
    { length: perEntry },
    (_, i) =>
      i % 5 === 4
        ? `  - { name: echo ${i} expired, harness: { certificate: client-expired }, expect: { tls: refused-by-peer } }`
        : `  - { name: echo ${i}, expect: { echo: success } }`,
  );
  return [
    `suite: ${entries * perEntry} cases against the in-process reference AE`,
    `pki: ${DEMO_PKI}`,
    "peers:",
    inProcessReferenceAe("REFERENCE"),
    "  harness: { ae: HARNESS, certificate: client, trust: [root], verify: chain }",
    `matrix: { entry: [${Array.from({ length: entries }, (_, i) => i + 1).join(", ")}] }`,
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
  // Warm the PKI cache with a one-case suite: its generation is not what this bench measures.
  const warm = file.replace(/\.yaml$/, "-warm.yaml");
  await Deno.writeTextFile(warm, suiteYaml(1, 1));
  await loadSuites([warm], { pkiCacheDir: pkiCache });
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

/** (b): the whole run as a subprocess. */
async function benchRun(file: string, pkiCache: string, tmp: string) {
  const reports = join(tmp, "reports");
  const args = [
    "run",
    file,
    "--pki-cache",
    pkiCache,
    ...(withReports ? ["--reports", reports] : []),
  ];
  const [run, ms] = await timed(() => dicomtls(args, { sampleMs: 100 }));
  const mb = run.peakKb / 1024;
  const summary = /^(\d+) passed, (\d+) failed, (\d+) errors.* in ([\d.]+) s/m.exec(run.out);
  console.log(`(b) dicomtls run (subprocess, concurrency 4${withReports ? ", --reports" : ""})`);
  console.log(`    wall time                         ${seconds(ms)}  (exit ${run.code})`);
  console.log(`    summary                           ${summary?.[0] ?? "none"}`);
  console.log(
    `    peak RSS (VmHWM)                  ${mb.toFixed(0).padStart(6)} MB  (target < 400 MB) ${
      verdict(mb < 400)
    }`,
  );
  for (const name of withReports ? ["junit.xml", "report.html", "results.json"] : []) {
    const size = await Deno.stat(join(reports, name)).then((s) => s.size, () => undefined);
    const shown = size === undefined ? "not written" : `${(size / 1048576).toFixed(1)} MB`;
    console.log(`    ${name.padEnd(33)} ${shown.padStart(9)}`);
  }
  if (!summary || Number(summary[1]) !== ENTRIES * PER_ENTRY || run.code !== 0) {
    throw new Error(`dicomtls run exited ${run.code}:\n${run.out.slice(-2000)}`);
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
