/**
 * A run as a tester attaches it to a ticket, for the HTML and JUnit report
 * tests: an invocation with the tester's folders, absolute paths below them
 * in settings, messages and the peer log, a passed case that expected a
 * rejection, a peer that is not TLS, a timeout, an alert only our stack sent,
 * the full wire observation, and text built to overflow a card at 800 px
 * (an unbroken 300-character message, long tags, long lists).
 *
 * @module
 */
import type { Outcome } from "../outcome/mod.ts";
import type { AssertionResult, CaseResult, RunResult, SuiteResult } from "../runner/result.ts";
import { fullWire } from "./full_wire.ts";
import { echoSuccess, refusedByPeer, rejected, tcpRefused } from "./sample_outcomes.ts";
import { runOf, sampleCase, type SampleCaseSpec } from "./sample_run.ts";

/** The tester's folders in {@linkcode ticketRun}: none of them may appear in a report. */
export const TICKET_FOLDERS = {
  home: "/home/tester",
  workingDirectory: "/home/tester/work/dicomtls",
} as const;

/** The suite file of {@linkcode ticketRun}, relative to its working folder. */
export const TICKET_SUITE = "suites/device/scp.yaml";

/** A message without a space: it must wrap inside its card, not widen it. */
export const UNBROKEN_MESSAGE: string = `expected_${"x".repeat(300)}`;

const { home, workingDirectory: wd } = TICKET_FOLDERS;

function notTls(): Outcome {
  const o = tcpRefused();
  const wire = fullWire();
  return {
    ...o,
    stage: "tls",
    tcp: { status: "connected" },
    tls: {
      status: "not-tls",
      peerSent: "non-tls",
      firstBytes: wire.peerFirstBytes,
      error: "the peer answered with a DICOM A-ABORT, not TLS",
    },
    wire: { ...wire, peerSpokeTls: false },
  };
}

function timeout(): Outcome {
  const o = refusedByPeer({ name: "unknown_ca", code: 48 });
  return {
    ...o,
    tls: { status: "timeout", waitingFor: "the peer's ServerHello" },
  };
}

function ourRefusal(): Outcome {
  const o = refusedByPeer({ name: "bad_certificate", code: 42 });
  const { alert: _, ...tls } = o.tls!;
  return { ...o, tls: { ...tls, status: "error", alertSent: { name: "decode_error", code: 50 } } };
}

// One checked expectation of the ticket suite, written at `line`.
function check(
  path: string,
  [expected, actual]: [unknown, unknown],
  line: number,
): AssertionResult {
  const ok = actual !== null &&
    [expected].flat().some((e) => e === actual);
  return { path, expected, actual, ok, location: { file: TICKET_SUITE, line, column: 20 } };
}

const REFUSALS = ["certificate_expired", "bad_certificate", "certificate_unknown", "access_denied"];

function specs(): SampleCaseSpec[] {
  return [{
    name: "unknown calling AE title is rejected",
    line: 20,
    tags: ["device", "ae"],
    outcome: rejected(),
    assertions: [
      check("association", ["rejected", "rejected"], 21),
      check("reason", [
        ["calling-ae-title-not-recognized", "no-reason-given"],
        "calling-ae-title-not-recognized",
      ], 22),
    ],
    settings: { files: [`${wd}/suites/device/data/ct.dcm`], key: `${home}/pki/client.key` },
  }, {
    name: "expired client certificate is refused",
    description: `requirement SEC-7: ${UNBROKEN_MESSAGE}`,
    line: 24,
    tags: ["device", "negative-control-with-a-long-tag-name", "mtls"],
    status: "failed",
    message: UNBROKEN_MESSAGE,
    outcome: { ...echoSuccess(), wire: fullWire() },
    assertions: [
      check("tls", ["refused-by-peer", "established"], 25),
      check("alert", [REFUSALS, null], 25),
    ],
  }, {
    name: "a peer that speaks plain DICOM is not TLS",
    line: 28,
    tags: ["device"],
    outcome: notTls(),
    assertions: [check("tls", ["not-tls", "not-tls"], 29)],
  }, {
    name: "a silent peer times out",
    line: 31,
    tags: ["device"],
    status: "failed",
    message: "expected tls refused-by-peer, got timeout",
    outcome: timeout(),
    assertions: [check("tls", ["refused-by-peer", "timeout"], 32)],
  }, {
    name: "a malformed ServerHello is refused by our stack",
    line: 34,
    tags: ["device"],
    status: "error",
    message: `cannot read ${home}/pki/out/client-expired.crt: No such file or directory`,
    outcome: ourRefusal(),
  }];
}

/**
 * The ticket run: one suite against a device (SCP, AE "DEVICE" at
 * 192.0.2.10:11112) with five cases, its peer log naming files below the
 * tester's home, and the invocation of `dicomtls run` with absolute paths.
 *
 * @example
 * ```ts
 * import { ticketRun } from "./ticket_run.ts";
 * ticketRun().invocation?.host; // "lab-pc-7"
 * ```
 */
export function ticketRun(): RunResult {
  const name = "device SCP refuses what it should";
  const cases: CaseResult[] = specs().map((s, i) => sampleCase(name, TICKET_SUITE, s, i));
  const suite: SuiteResult = {
    name,
    description: `the device's TLS requirements (${home}/reqs/device.pdf) ${UNBROKEN_MESSAGE}`,
    file: TICKET_SUITE,
    target: { host: "192.0.2.10", port: 11112, ae: "DEVICE", role: "scp" },
    cases,
    peerLog:
      `W: certificate file '${home}/.cache/dicomtls/pki/device-1a2b/server.pem' is not SHA-256`,
    durationMs: 400,
  };
  return runOf([suite], {
    invocation: {
      commandLine: [
        "dicomtls",
        "run",
        `${wd}/${TICKET_SUITE}`,
        "--set",
        "password=correct horse",
        "--reports",
        `${home}/reports/device`,
      ],
      host: "lab-pc-7",
      workingDirectory: wd,
      home,
    },
  });
}
