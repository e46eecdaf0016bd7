/**
 * Reference AE under load: `dicomtls serve` as a child process (so its RSS is
 * its own), 500 TLS C-ECHO associations, 50 at a time, from our own SCU
 * (`runScu` in this process: mutual TLS with the `client` certificate, chain
 * verification of the server), then the same load against DCMTK storescp
 * (TCP_NODELAY=1; it serves one association at a time) in the same run.
 * The SCU warms up first with 50 uncounted associations against storescp;
 * our server is measured from its first association (cold).
 * Prints associations/s, p50/p99 latency (and p99 without the first 50), the
 * server's RSS after the first 50 and after all 500, each server's and the
 * SCU's CPU time per association, and PASS/MISS for: our rate >= storescp's,
 * our p99 < 250 ms, RSS growth < 30 MB, zero failures. A MISS does not fail
 * the run (timings depend on the machine's load); a harness error does.
 */
import { runScu } from "../src/scu/mod.ts";
import { loadTrustAnchors } from "../src/security/mod.ts";
import { loadCredentials, type TlsCredentials, type VerificationPolicy } from "../src/tls/mod.ts";
import { startServeProcess } from "../src/testing/reference_ae.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const TOTAL = 500;
const CONCURRENCY = 50;
const MB = 1024 * 1024;

/** What one load run measured. */
interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  /** p99 of the associations completed after the first CONCURRENCY (JIT and caches warm). */
  p99Warm: number;
  failures: string[];
  rssAfterFirst?: number;
  rssAfterAll?: number;
  /** The server's CPU time (user + system) per association: what it costs, whatever the machine's load. */
  cpuMsPerAssociation: number;
  /** This process's (the SCU's) CPU time per association. */
  clientCpuMsPerAssociation: number;
}

/** The server's resident set size in bytes (Linux /proc). */
function rss(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb[1]) * 1024;
}

/** The process's CPU time (user + system) in ms, from /proc/PID/stat (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** TOTAL C-ECHO associations, CONCURRENCY at a time; RSS of `pid` after the first CONCURRENCY. */
async function load(options: {
  port: number;
  calledAe: string;
  credentials: TlsCredentials;
  policy: VerificationPolicy;
  pid: number;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  let rssAfterFirst: number | undefined;
  const cpuBefore = cpuMs(options.pid);
  const clientCpuBefore = cpuMs(Deno.pid);
  const started = performance.now();
  const worker = async () => {
    while (next < TOTAL) {
      next++;
      const began = performance.now();
      const outcome = await runScu({
        host: "127.0.0.1",
        port: options.port,
        callingAe: "BENCHSCU",
        calledAe: options.calledAe,
        credentials: options.credentials,
        policy: options.policy,
        timeoutMs: 60_000,
        operations: [{ command: "C-ECHO" }],
      });
      latencies.push(performance.now() - began);
      if (!outcome.ok) {
        failures.push(
          `${outcome.stage}: ${
            outcome.association?.error ?? outcome.tls?.error ?? outcome.tcp.error ??
              outcome.dimse?.status
          }`,
        );
      }
      if (latencies.length === CONCURRENCY) rssAfterFirst = rss(options.pid);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.toSorted((a, b) => a - b);
  const warm = latencies.slice(CONCURRENCY).sort((a, b) => a - b);
  return {
    perSecond: TOTAL / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p99Warm: percentile(warm, 99),
    failures,
    rssAfterFirst,
    rssAfterAll: rss(options.pid),
    cpuMsPerAssociation: (cpuMs(options.pid) - cpuBefore) / TOTAL,
    clientCpuMsPerAssociation: (cpuMs(Deno.pid) - clientCpuBefore) / TOTAL,
  };
}

const pki = await testPki();
const credentials = await loadCredentials({
  cert: pkiFile(pki, "client", "crt"),
  key: pkiFile(pki, "client", "key"),
});
const anchors = await loadTrustAnchors([pkiFile(pki, "root", "crt")]);
const policy: VerificationPolicy = { method: "chain", anchors: anchors.der };

const scp = havePeer("storescp", "dcmtk")
  ? await startStorescp({
    cert: pkiFile(pki, "server", "chain"),
    key: pkiFile(pki, "server", "key"),
    trust: [pkiFile(pki, "root", "crt")],
  })
  : undefined;
let ourResult: LoadResult;
let scpResult: LoadResult | undefined;
try {
  // The SCU is the instrument: warm its code paths first (against storescp, not counted),
  // so that neither server pays for the SCU's own start-up. Our server is measured cold.
  if (scp) {
    await load({ port: scp.port, calledAe: "STORESCP", credentials, policy, pid: scp.pid });
  }
  const ours = await startServeProcess(pki, [
    "--verify",
    "chain",
    "--mutual",
    "true",
    "--max-associations",
    String(CONCURRENCY * 2),
  ]);
  try {
    ourResult = await load({
      port: ours.port,
      calledAe: "REFAE",
      credentials,
      policy,
      pid: ours.pid,
    });
  } finally {
    await ours.stop();
  }
  if (scp) {
    scpResult = await load({
      port: scp.port,
      calledAe: "STORESCP",
      credentials,
      policy,
      pid: scp.pid,
    });
  }
} finally {
  if (scp) {
    await scp.stop();
    await Deno.remove(scp.outDir, { recursive: true });
  }
}

const row = (name: string, r: LoadResult | undefined) =>
  r
    ? [
      name.padEnd(22),
      r.perSecond.toFixed(1).padStart(8),
      r.p50.toFixed(1).padStart(8),
      r.p99.toFixed(1).padStart(8),
      r.p99Warm.toFixed(1).padStart(8),
      String(r.failures.length).padStart(8),
      ((r.rssAfterFirst ?? 0) / MB).toFixed(1).padStart(10),
      ((r.rssAfterAll ?? 0) / MB).toFixed(1).padStart(10),
      r.cpuMsPerAssociation.toFixed(1).padStart(9),
    ].join(" ")
    : `${name.padEnd(22)} (not run: storescp missing)`;
console.log(
  `${TOTAL} TLS C-ECHO associations, ${CONCURRENCY} at a time, from runScu (mutual TLS, chain)`,
);
console.log(
  `load average ${
    Deno.loadavg().map((l) => l.toFixed(1)).join(" ")
  } on ${navigator.hardwareConcurrency} cores; CPU ms/a: the server's CPU time per association\n`,
);
console.log(
  `${"server".padEnd(22)} ${"assoc/s".padStart(8)} ${"p50 ms".padStart(8)} ${
    "p99 ms".padStart(8)
  } ${"p99 warm".padStart(8)} ${"failures".padStart(8)} ${"RSS@50 MB".padStart(10)} ${
    "RSS@500 MB".padStart(10)
  } ${"CPU ms/a".padStart(9)}`,
);
console.log(row("dicomtls serve", ourResult));
console.log(row("storescp (DCMTK)", scpResult));
console.log(
  `SCU (this process) CPU ms per association: ${
    ourResult.clientCpuMsPerAssociation.toFixed(1)
  } against dicomtls serve, ${
    scpResult?.clientCpuMsPerAssociation.toFixed(1) ?? "?"
  } against storescp`,
);
for (const failure of new Set([...ourResult.failures, ...(scpResult?.failures ?? [])])) {
  console.log(`  failure: ${failure}`);
}

const growth = (ourResult.rssAfterAll! - ourResult.rssAfterFirst!) / MB;
const targets: [string, boolean | undefined][] = [
  [
    `our rate >= storescp's (${ourResult.perSecond.toFixed(1)} vs ${
      scpResult?.perSecond.toFixed(1) ?? "?"
    } assoc/s)`,
    scpResult && ourResult.perSecond >= scpResult.perSecond,
  ],
  [`our p99 < 250 ms (${ourResult.p99.toFixed(1)} ms)`, ourResult.p99 < 250],
  [`RSS growth 50 -> 500 < 30 MB (${growth.toFixed(1)} MB)`, growth < 30],
  [
    `zero failures (${ourResult.failures.length} ours, ${
      scpResult?.failures.length ?? "?"
    } storescp)`,
    ourResult.failures.length === 0 && scpResult?.failures.length === 0,
  ],
];
console.log("");
for (const [what, ok] of targets) {
  console.log(`${ok === undefined ? "SKIP" : ok ? "PASS" : "MISS"}  ${what}`);
}
