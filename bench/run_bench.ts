/**
 * Runner speed and memory (issue 5), in one run:
 *
 * (a) A generated 200-case C-ECHO suite with mixed client certificates
 * (trusted, expired, untrusted, self-signed, none: 40 echoes and 160 TLS
 * refusals) against DCMTK storescp started by the suite (+tls, TCP_NODELAY=1),
 * timed as a `dicomtls run` SUBPROCESS (Deno start, module load, suite load
 * with a warm PKI cache, storescp start and stop, reports), once with
 * `concurrency: 1` and once with 4 (storescp serves one association at a time;
 * the kernel queues the others), against a bash loop of the equivalent 200
 * `echoscu` invocations (same certificates and trust, TCP_NODELAY=1) against
 * a storescp started the same way. Target: <= 0.3x the loop's wall time.
 *
 * (b) A generated 2,000-case suite with the same mix against our reference AE
 * (chain verification, mutual authentication), run as a `dicomtls run
 * --reports DIR` subprocess whose VmHWM is sampled from /proc every 20 ms:
 * once against `dicomtls serve` as a child process (the runner's memory
 * alone), once with the AE started by the suite in the runner's process
 * (`start: reference`). Targets: peak RSS < 250 MB, and junit.xml,
 * report.html and results.json written.
 *
 * Prints PASS/MISS per target; a MISS does not fail the run (timings depend
 * on the machine's load), a wrong case result does. Loopback only.
 */
import { join } from "node:path";
import { freePort, type RunningProcess, startProcess } from "../src/process/mod.ts";
import { loadSuite } from "../src/scenario/mod.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const MOD = join(ROOT, "mod.ts");
const STANDARD_PKI = join(ROOT, "fixtures/pki/standard.yaml");
const PEER_ENV = { TCP_NODELAY: "1" };

/**
 * The certificate mix: a PKI name (or none) and what the case expects. The
 * alert differs by peer (OpenSSL sends certificate_expired, unknown_ca,
 * certificate_required; Deno's TLS server closes without one), so only the
 * refusal is expected.
 */
const MIX = [
  { certificate: "client", expect: "{ echo: success }" },
  { certificate: "client-expired", expect: "{ tls: refused-by-peer }" },
  { certificate: "client-untrusted", expect: "{ tls: refused-by-peer }" },
  { certificate: "client-self-signed", expect: "{ tls: refused-by-peer }" },
  { certificate: "none", expect: "{ tls: refused-by-peer }" },
] as const;

function suiteYaml(options: { name: string; cases: number; peer: string }): string {
  const cases = Array.from({ length: options.cases }, (_, i) => {
    const m = MIX[i % MIX.length];
    return [
      `  - name: echo ${i} with ${m.certificate}`,
      `    harness: { certificate: ${m.certificate} }`,
      `    expect: ${m.expect}`,
    ].join("\n");
  });
  return [
    `suite: ${options.name}`,
    `pki: ${STANDARD_PKI}`,
    "peers:",
    options.peer,
    "  harness:",
    "    ae: HARNESS",
    "    trust: [root]",
    "    verify: chain",
    "defaults: { timeout: 10s }",
    "cases:",
    ...cases,
    "",
  ].join("\n");
}

function storescpCommand(pki: string, port: number, out: string): string[] {
  return [
    "storescp",
    "+tls",
    `${pki}/server.key`,
    `${pki}/server.chain.pem`,
    "+cf",
    `${pki}/root.crt`,
    "-aet",
    "STORESCP",
    "-od",
    out,
    String(port),
  ];
}

function storescpPeer(options: { concurrency: number; out: string }): string {
  // As the user writes it: files by ${pki.NAME.FIELD}, port by --set.
  const command = [
    "storescp",
    "+tls",
    "${pki.server.key}",
    "${pki.server.chain}",
    "+cf",
    "${pki.root.crt}",
    "-aet",
    "STORESCP",
    "-od",
    options.out,
    "${set.port}",
  ].map((a) => JSON.stringify(a)).join(", ");
  return [
    "  sut:",
    "    role: scp",
    "    ae: STORESCP",
    "    host: 127.0.0.1",
    '    port: "${set.port}"',
    `    concurrency: ${options.concurrency}`,
    "    start:",
    `      command: [${command}]`,
    '      env: { TCP_NODELAY: "1" }',
    '      ready: { port: "${set.port}", timeout: 10s }',
  ].join("\n");
}

const referencePeer = [
  "  sut:",
  "    role: scp",
  "    ae: DICOMTLS",
  '    host: "${set.host}"',
  '    port: "${set.port}"',
].join("\n");

interface Timed<T> {
  ms: number;
  value: T;
}

async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** `dicomtls ARGS...` as a subprocess; its exit code, output, and peak RSS (VmHWM, kB) sampled from /proc. */
async function dicomtls(args: string[]): Promise<{ code: number; out: string; peakKb: number }> {
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
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, hwm);
      } catch { /* exited between samples */ }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const output = await child.output();
  running = false;
  await sample;
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  return { code: output.code, out: text, peakKb };
}

function mustPass(what: string, run: { code: number; out: string }) {
  if (run.code !== 0) {
    const tail = run.out.trim().split("\n").slice(-15).join("\n  ");
    throw new Error(`${what}: dicomtls run exited ${run.code}:\n  ${tail}`);
  }
}

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
const ms = (n: number) => `${n.toFixed(0).padStart(6)} ms`;

/** The client files of the mix, as the harness presents them. */
async function mixFiles(suiteFile: string, pkiCacheDir: string) {
  const suite = await loadSuite({ file: suiteFile, set: { port: "1" }, pkiCacheDir });
  const pki = suite.instances[0].pki!.dir;
  const files = MIX.map((_, i) => {
    const cert = suite.cases[i].harness.security.certificate;
    return cert.kind === "pem" ? { cert: cert.cert, key: cert.key } : undefined;
  });
  return { pki, files };
}

/** The bash loop: 200 echoscu with the mix's certificates; prints how many echoed. */
function echoscuLoop(
  options: { files: ({ cert: string; key: string } | undefined)[]; root: string; port: number },
): string {
  const branches = options.files.map((f, i) => {
    const tls = f ? `+tls ${f.key} ${f.cert}` : "+tla";
    return `    ${i}) args="${tls}" ;;`;
  });
  return [
    "ok=0",
    "for i in $(seq 0 199); do",
    `  case $((i % ${options.files.length})) in`,
    ...branches,
    "  esac",
    `  out=$(echoscu -v $args +cf ${options.root} -aet HARNESS -aec STORESCP 127.0.0.1 ${options.port} 2>&1)`,
    '  case "$out" in *"Received Echo Response (Success)"*) ok=$((ok+1)) ;; esac',
    "done",
    "echo $ok",
  ].join("\n");
}

async function benchStorescp(
  tmp: string,
  pkiCache: string,
  options: { time: boolean },
): Promise<string> {
  const out = join(tmp, "storescp-out");
  await Deno.mkdir(out);
  const files: Record<number, string> = {};
  for (const concurrency of [1, 4]) {
    files[concurrency] = join(tmp, `echo200-c${concurrency}.yaml`);
    await Deno.writeTextFile(
      files[concurrency],
      suiteYaml({
        name: `200 echoes against storescp, concurrency ${concurrency}`,
        cases: 200,
        peer: storescpPeer({ concurrency, out }),
      }),
    );
  }
  // Warm the PKI cache and Deno's module cache, and get the files for echoscu.
  const mix = await mixFiles(files[1], pkiCache);
  if (!options.time) return mix.pki;
  console.log("(a) 200 C-ECHO cases against DCMTK storescp (mixed client certificates)");
  mustPass(
    "validate",
    await dicomtls(["validate", files[1], "--set", "port=1", "--pki-cache", pkiCache]),
  );

  const port = await freePort();
  const scp = await startProcess({
    command: storescpCommand(mix.pki, port, out),
    env: PEER_ENV,
    ready: { port, timeoutMs: 10_000 },
  });
  let loop: Timed<Deno.CommandOutput>;
  try {
    const script = echoscuLoop({ files: mix.files, root: `${mix.pki}/root.crt`, port });
    loop = await timed(() =>
      new Deno.Command("bash", { args: ["-c", script], env: PEER_ENV, stdout: "piped" }).output()
    );
  } finally {
    await scp.stop();
  }
  const echoed = new TextDecoder().decode(loop.value.stdout).trim();
  console.log(`  bash loop, 200 x echoscu +tls/+tla          ${ms(loop.ms)}  (${echoed} echoed)`);

  for (const concurrency of [1, 4]) {
    const reports = join(tmp, `reports-a-c${concurrency}`);
    const runPort = await freePort();
    const run = await timed(() =>
      dicomtls([
        "run",
        files[concurrency],
        "--set",
        `port=${runPort}`,
        "--pki-cache",
        pkiCache,
        "--concurrency",
        String(concurrency),
        "--reports",
        reports,
      ])
    );
    mustPass(`storescp, concurrency ${concurrency}`, run.value);
    const result = JSON.parse(await Deno.readTextFile(join(reports, "results.json")));
    const ratio = run.ms / loop.ms;
    console.log(
      `  dicomtls run (subprocess), concurrency ${concurrency}   ${ms(run.ms)}  ` +
        `${ratio.toFixed(3)}x the loop (target <= 0.3x) ${verdict(ratio <= 0.3)}`,
    );
    console.log(
      `    of which the run itself (results.json durationMs): ${result.durationMs} ms; ` +
        `${result.summary.passed}/${result.summary.total} passed`,
    );
  }
  return mix.pki;
}

/** Runs a 2,000-case suite as a subprocess and prints its time, peak RSS and reports. */
async function measureLargeRun(
  label: string,
  options: { file: string; args: string[]; reports: string },
) {
  const run = await timed(() =>
    dicomtls(["run", options.file, ...options.args, "--reports", options.reports])
  );
  mustPass(label, run.value);
  const mb = run.value.peakKb / 1024;
  console.log(`  ${label}`);
  console.log(`    dicomtls run (subprocess, concurrency 4) ${ms(run.ms)}`);
  console.log(
    `    peak RSS (VmHWM) ${mb.toFixed(1).padStart(8)} MB  (target < 250 MB) ${verdict(mb < 250)}`,
  );
  let written = true;
  for (const name of ["junit.xml", "report.html", "results.json"]) {
    const size = await Deno.stat(join(options.reports, name)).then((s) => s.size, () => 0);
    written &&= size > 0;
    console.log(`    ${name.padEnd(13)} ${(size / 1024).toFixed(0).padStart(8)} kB`);
  }
  const result = JSON.parse(await Deno.readTextFile(join(options.reports, "results.json")));
  console.log(
    `    reports written: ${
      verdict(written)
    }; ${result.summary.passed}/${result.summary.total} passed`,
  );
}

async function benchReferenceAe(tmp: string, options: { pki: string; pkiCache: string }) {
  const { pki, pkiCache } = options;
  console.log("(b) 2,000 C-ECHO cases against the reference AE (mixed client certificates)");
  const security = {
    cert: `${pki}/server.chain.pem`,
    key: `${pki}/server.key`,
    ca: `${pki}/root.crt`,
  };
  const child = join(tmp, "echo2000.yaml");
  await Deno.writeTextFile(
    child,
    suiteYaml({ name: "2,000 echoes against dicomtls serve", cases: 2000, peer: referencePeer }),
  );
  const ae: RunningProcess = await startProcess({
    command: [Deno.execPath(), "run", "-A", MOD, "serve", "--port", "0", "--verify", "chain"]
      .concat(["--cert", security.cert, "--key", security.key, "--ca", security.ca]),
    ready: { log: /listening on \S+:\d+/, timeoutMs: 30_000 },
  });
  try {
    const [, host, port] = /listening on (\S+):(\d+)/.exec(ae.log())!;
    await measureLargeRun("the reference AE as a child process (dicomtls serve):", {
      file: child,
      args: ["--set", `host=${host}`, "--set", `port=${port}`, "--pki-cache", pkiCache],
      reports: join(tmp, "reports-b-child"),
    });
  } finally {
    await ae.stop();
  }
  // The same cases with the reference AE started by the suite in the runner's
  // own process (start: reference): the peak then includes the SCP's memory.
  const inProcess = join(tmp, "echo2000-in-process.yaml");
  await Deno.writeTextFile(
    inProcess,
    suiteYaml({
      name: "2,000 echoes against the in-process reference AE",
      cases: 2000,
      peer: [
        "  sut:",
        "    role: scp",
        "    ae: DICOMTLS",
        "    host: 127.0.0.1",
        "    port: 0",
        "    start:",
        "      reference:",
        "        ae: DICOMTLS",
        "        security:",
        "          cert: ${pki.server.chain}",
        "          key: ${pki.server.key}",
        "          verify: chain",
        '          ca: ["${pki.root.crt}"]',
        "          mutual: true",
      ].join("\n"),
    }),
  );
  await measureLargeRun("the reference AE in the runner's process (start: reference):", {
    file: inProcess,
    args: ["--pki-cache", pkiCache],
    reports: join(tmp, "reports-b-in-process"),
  });
}

// `deno run -A bench/run_bench.ts a` (or b) runs one part only.
const part = Deno.args[0];
const tmp = await Deno.makeTempDir({ prefix: "dicomtls-run-bench-" });
try {
  const pkiCache = join(tmp, "pki-cache");
  const pki = await benchStorescp(tmp, pkiCache, { time: part !== "b" });
  if (part !== "a") await benchReferenceAe(tmp, { pki, pkiCache });
} finally {
  await Deno.remove(tmp, { recursive: true });
}
