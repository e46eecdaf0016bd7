/**
 * A realistic run result for the reporter tests: three suites with every
 * case status and every outcome stage, hostile text (`<&"'`, control
 * characters, a PEM private key in a peer log, passwords in settings), and
 * the strings that must never reach a report.
 *
 * @example
 * ```ts
 * import { sampleRun } from "./sample_run.ts";
 * const run = sampleRun(); // 3 suites, every status
 * ```
 * @module
 */
import { type CaseResult, type RunResult, type SuiteResult, summarize } from "../runner/result.ts";
import {
  aborted,
  echoSuccess,
  refusedByPeer,
  refusedByUs,
  rejected,
  SAMPLE_SERVER_CERTIFICATE as server,
  SAMPLE_TARGET as target,
  sampleTime as iso,
  tcpRefused,
} from "./sample_outcomes.ts";

/**
 * Strings that must never appear in any report (passwords and private key
 * material the samples carry in settings and peer logs).
 *
 * @example
 * ```ts
 * import { SECRET_MARKERS } from "./sample_run.ts";
 * declare const report: string;
 * SECRET_MARKERS.some((s) => report.includes(s)); // false, for a good reporter
 * ```
 */
export const SECRET_MARKERS: readonly string[] = [
  "hunter2",
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
  "BEGIN PRIVATE KEY",
  "correct horse",
];

/** What a sample case sets: its name and line, and any field of a CaseResult. */
export interface SampleCaseSpec extends Partial<CaseResult> {
  name: string;
  line: number;
}

/**
 * A CaseResult of `suite` in `file`: passed, with the id, location and times
 * derived from the spec and its `index`, and every field the spec sets.
 *
 * @example
 * ```ts
 * import { sampleCase } from "./sample_run.ts";
 * const c = sampleCase("s", "s.yaml", { name: "echo", line: 3 }, 0);
 * c.id; // "s.yaml#echo"
 * ```
 */
export function sampleCase(
  suite: string,
  file: string,
  spec: SampleCaseSpec,
  index: number,
): CaseResult {
  const { line, ...rest } = spec;
  return {
    id: `${file}#${spec.name}${spec.matrix ? `[${Object.values(spec.matrix).join(",")}]` : ""}`,
    suite,
    location: { file, line, column: 5 },
    peer: "sut",
    tags: [],
    status: "passed",
    assertions: [],
    startedAt: iso(index * 30),
    durationMs: 20 + index,
    ...rest,
  };
}

const STORESCP = "scenarios/storescp.yaml";
const ORTHANC = "scenarios/orthanc.yaml";
const DEAD = "scenarios/dead-target.yaml";

function storescpSuite(): SuiteResult {
  const suite = "storescp refuses bad client certificates";
  const at = (line: number, column = 13) => ({ file: STORESCP, line, column });
  const specs: SampleCaseSpec[] = [
    {
      name: "trusted client certificate is accepted",
      description: "the baseline: a valid chain to the trusted root <b>&amp;</b>\n\x1b[31mred",
      line: 24,
      tags: ["smoke", "mtls"],
      matrix: { key: "ec-p256" },
      outcome: echoSuccess(),
      assertions: [
        { path: "echo", expected: "success", actual: "success", ok: true, location: at(25) },
        {
          path: "tls.protocol",
          expected: ["TLSv1.2", "TLSv1.3"],
          actual: "TLSv1.3",
          ok: true,
          location: at(25, 30),
        },
      ],
      settings: {
        certificate: "client",
        verify: "chain",
        trust: ["root"],
        key: "/tmp/pki/client.key",
        password: "hunter2",
        p12: { file: "client.p12", passphrase: "correct horse" },
      },
    },
    {
      name: "expired client certificate is refused",
      line: 26,
      tags: ["mtls", "negative"],
      outcome: refusedByPeer({ name: "certificate_expired", code: 45 }),
      assertions: [
        {
          path: "tls",
          expected: "refused-by-peer",
          actual: "refused-by-peer",
          ok: true,
          location: at(28),
        },
        {
          path: "alert",
          expected: ["certificate_expired", "bad_certificate"],
          actual: "certificate_expired",
          ok: true,
          location: at(28, 35),
        },
      ],
      settings: { certificate: "client-expired", verify: "chain" },
    },
    {
      name: "revoked client certificate is refused <&\"'> \x07\x1b[31m",
      line: 29,
      tags: ["mtls", "negative"],
      status: "failed",
      message: "expected tls refused-by-peer, got established <&\"'>\x00\x1b[0m",
      outcome: echoSuccess(60),
      assertions: [
        {
          path: "tls",
          expected: "refused-by-peer",
          actual: "established",
          ok: false,
          location: at(31),
        },
        {
          path: "alert",
          expected: ["certificate_revoked"],
          actual: null,
          ok: false,
          location: at(31, 35),
        },
      ],
      settings: { certificate: "client-revoked", verify: "chain" },
    },
    {
      name: "server with an expired certificate is refused by us",
      line: 32,
      tags: ["verify"],
      outcome: refusedByUs(),
      assertions: [
        {
          path: "tls",
          expected: "refused-by-us",
          actual: "refused-by-us",
          ok: true,
          location: at(34),
        },
        {
          path: "reasons",
          expected: ["expired"],
          actual: ["expired", "hostname-mismatch"],
          ok: true,
          location: at(34, 30),
        },
      ],
    },
    {
      name: "unknown calling AE is rejected",
      line: 36,
      tags: ["ae"],
      outcome: rejected(),
      assertions: [
        {
          path: "association",
          expected: "rejected",
          actual: "rejected",
          ok: true,
          location: at(38),
        },
        {
          path: "reason",
          expected: "calling-ae-title-not-recognized",
          actual: "calling-ae-title-not-recognized",
          ok: true,
          location: at(38, 36),
        },
      ],
      settings: { ae: "STRANGER" },
    },
    {
      name: "C-STORE of a large dataset is aborted",
      line: 40,
      tags: ["dimse"],
      status: "expected-failure",
      message: "expected store success, got aborted (service-provider, unexpected-pdu)",
      outcome: aborted(),
      assertions: [{
        path: "store",
        expected: "success",
        actual: "aborted",
        ok: false,
        location: at(42),
      }],
    },
    {
      name: "TLS 1.0 is refused",
      line: 44,
      tags: ["legacy"],
      status: "skipped",
      message: "legacy TLS 1.0 client not available",
    },
    {
      name: "slow store completes",
      line: 48,
      tags: ["dimse"],
      status: "interrupted",
      message: "interrupted by Ctrl-C after 1200 ms",
    },
  ];
  const cases = specs.map((s, i) => sampleCase(suite, STORESCP, s, i));
  return {
    name: suite,
    description: "DCMTK storescp with mutual TLS\nsecond line <script>alert(1)</script> \u202Eevil",
    file: STORESCP,
    target: { ...target, ae: "STORESCP" },
    sanity: sampleCase(suite, STORESCP, {
      name: "sanity",
      line: 1,
      outcome: echoSuccess(),
      assertions: [],
    }, 0),
    cases,
    peerLog:
      'I: Association Received 127.0.0.1: "HARNESS -> STORESCP"\nE: certificate verify failed',
    durationMs: 1830,
  };
}

function orthancSuite(): SuiteResult {
  const suite = "orthanc pinned by thumbprint";
  const thumb = { ...echoSuccess(700) };
  thumb.tls = {
    ...thumb.tls!,
    verification: { method: "thumbprint", ok: true, reasons: [], details: [] },
  };
  const cases: CaseResult[] = [
    sampleCase(suite, ORTHANC, {
      name: "server pinned by thumbprint",
      line: 12,
      tags: ["smoke", "thumbprint"],
      outcome: thumb,
      assertions: [{
        path: "echo",
        expected: "success",
        actual: "success",
        ok: true,
        location: { file: ORTHANC, line: 13 },
      }],
      settings: { verify: { thumbprint: [server.sha1] } },
    }, 0),
    sampleCase(suite, ORTHANC, {
      name: "client certificate file is unreadable",
      line: 15,
      tags: ["thumbprint"],
      status: "error",
      message: "cannot read fixtures/pki/out/missing.crt: No such file or directory",
      outcome: {
        ...tcpRefused(),
        tcp: { status: "connected" },
        error: "cannot read fixtures/pki/out/missing.crt",
      },
    }, 1),
  ];
  return {
    name: suite,
    file: ORTHANC,
    target: { ...target, ae: "ORTHANC" },
    cases,
    durationMs: 240,
  };
}

function deadSuite(): SuiteResult {
  const suite = "dead target";
  const cases = ["echo succeeds", "store succeeds"].map((name, i) =>
    sampleCase(suite, DEAD, {
      name,
      line: 10 + i * 3,
      status: "error",
      message: "target 127.0.0.1:4243 unreachable: the sanity case failed (tcp refused)",
    }, i)
  );
  return {
    name: suite,
    file: DEAD,
    target: { host: "127.0.0.1", port: 4243 },
    sanity: sampleCase(suite, DEAD, {
      name: "sanity",
      line: 1,
      status: "error",
      message: "tcp refused",
      outcome: tcpRefused(),
    }, 0),
    cases,
    error: "start command exited with code 1: storescp: cannot load key",
    peerLog:
      "loading key\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n" +
      "-----END PRIVATE KEY-----\nstorescp: cannot load key",
    durationMs: 12,
  };
}

/**
 * Builds a RunResult from suites: summary recomputed, times derived.
 *
 * @example
 * ```ts
 * import { runOf } from "./sample_run.ts";
 * const run = runOf([]);
 * ```
 */
export function runOf(suites: SuiteResult[], extra: Partial<RunResult> = {}): RunResult {
  const durationMs = 2150;
  return {
    schemaVersion: 1,
    tool: { name: "dicomtls", version: "0.1.0" },
    startedAt: iso(0),
    finishedAt: iso(durationMs),
    durationMs,
    interrupted: suites.some((s) => s.cases.some((c) => c.status === "interrupted")),
    suites,
    summary: summarize(suites),
    ...extra,
  };
}

/**
 * A realistic run: 3 suites, 12 cases, every status and outcome stage.
 *
 * @example
 * ```ts
 * import { sampleRun } from "./sample_run.ts";
 * sampleRun().summary.failed; // 1
 * ```
 */
export function sampleRun(): RunResult {
  return runOf([storescpSuite(), orthancSuite(), deadSuite()]);
}

/**
 * Splits a run into `total` shards the way `--shard K/N` would: every N-th
 * case, each shard with its own summary.
 *
 * @example
 * ```ts
 * import { sampleRun, shardRun } from "./sample_run.ts";
 * const [one, two] = shardRun(sampleRun(), 2);
 * ```
 */
export function shardRun(run: RunResult, total: number): RunResult[] {
  return Array.from({ length: total }, (_, k) => {
    const suites = run.suites.map((s) => ({
      ...s,
      cases: s.cases.filter((_, i) => i % total === k),
      durationMs: s.durationMs / total,
    }));
    return {
      ...run,
      shards: [{ index: k + 1, total }],
      interrupted: suites.some((s) => s.cases.some((c) => c.status === "interrupted")),
      suites,
      summary: summarize(suites),
    };
  });
}

/**
 * Markup that would run script if a report embedded it unescaped.
 *
 * @example
 * ```ts
 * import { SCRIPT_INJECTION } from "./sample_run.ts";
 * declare const html: string;
 * html.includes(SCRIPT_INJECTION); // false, for a good HTML report
 * ```
 */
export const SCRIPT_INJECTION =
  `</script><img src=x onerror="window.pwned=1"><script>window.pwned=2</script>`;

/**
 * {@linkcode sampleRun} with {@linkcode SCRIPT_INJECTION} in a case name
 * and an HTML comment with a line separator in a message.
 *
 * @example
 * ```ts
 * import { hostileSampleRun } from "./sample_run.ts";
 * hostileSampleRun().suites[1].cases[0].name; // "pinned </script>..."
 * ```
 */
export function hostileSampleRun(): RunResult {
  const run = sampleRun();
  run.suites[1].cases[0].name = `pinned ${SCRIPT_INJECTION}`;
  run.suites[1].cases[0].message = "<!-- \u2028 -->";
  return run;
}
