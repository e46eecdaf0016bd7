/**
 * The exemplar run result: every optional field of every type set, for the
 * test that keeps the JSON Schema of results and the TypeScript types in
 * step.
 *
 * @module
 */
import { fullWire } from "./full_wire.ts";
import { fullProbe, fullVerdict } from "./full_probe.ts";
import type { Outcome } from "../outcome/mod.ts";
import {
  type CaseResult,
  type RunInvocation,
  type RunResult,
  type SuiteResult,
  summarize,
} from "../runner/result.ts";
import {
  echoSuccess,
  SAMPLE_SERVER_CERTIFICATE as server,
  SAMPLE_TARGET as target,
  sampleChain as peerChain,
  sampleTime as iso,
} from "./sample_outcomes.ts";

/**
 * Makes every property required, deeply: a compile-time check that an
 * exemplar sets every field.
 *
 * @example
 * ```ts
 * import type { Full } from "./full_run.ts";
 * const point: Full<{ x?: number }> = { x: 1 }; // `{}` would not compile
 * ```
 */
export type Full<T> = T extends readonly (infer U)[] ? Full<U>[]
  : T extends object ? { [K in keyof T]-?: Full<T[K]> }
  : T;

/**
 * One run with every optional field of every type set (compile-checked with
 * {@linkcode Full}): not one coherent conversation, but the exemplar that the
 * JSON Schema drift test validates. Adding a field to RunResult or Outcome
 * breaks the type check here until the exemplar (and so the schema) has it.
 *
 * @example
 * ```ts
 * import { fullRun } from "./full_run.ts";
 * fullRun().suites[0].cases[0].outcome.tls.alert.code; // 45
 * ```
 */
export function fullRun(): Full<RunResult> {
  const o = echoSuccess();
  const outcome: Full<Outcome> = {
    ok: false,
    stage: "dimse",
    target,
    startedAt: o.startedAt,
    durationMs: 40,
    timeline: o.timeline,
    tcp: { status: "connected", error: "none" },
    tls: {
      status: "refused-by-peer",
      stack: "openssl",
      stackReason: "rustls does not speak TLSv1",
      protocol: "TLSv1.3",
      cipher: "TLS_AES_128_GCM_SHA256",
      group: "x25519",
      keyBits: 253,
      peer: peerChain(server),
      verification: { method: "chain", ok: true, reasons: [], details: [], checkedHostname: false },
      alert: { name: "certificate_expired", code: 45 },
      alertSent: { name: "bad_certificate", code: 42 },
      after: "handshake-complete",
      closedWithoutAlert: false,
      peerSent: "non-tls",
      firstBytes: fullWire().peerFirstBytes,
      waitingFor: "the peer's ServerHello",
      cause: "no common TLS version: the client offered TLSv1.3, TLSv1.2; we accept TLSv1",
      clientCertificate: true,
      error: "received fatal alert: CertificateExpired",
    },
    association: {
      result: "aborted",
      callingAe: "HARNESS",
      calledAe: "STORESCP",
      reject: {
        result: "rejected-transient",
        source: "service-provider-acse",
        reason: "local-limit-exceeded",
      },
      abort: { source: "service-user", reason: "reason-not-specified", by: "peer" },
      presentationContexts: [{
        id: 1,
        abstractSyntax: "1.2.840.10008.1.1",
        transferSyntax: "1.2.840.10008.1.2",
        result: "acceptance",
      }],
      peerMaxPduLength: 16384,
      peerImplementationClassUid: "1.2.3",
      peerImplementationVersionName: "X",
      released: false,
      error: "aborted",
    },
    dimse: {
      status: "failure",
      operations: [{
        command: "C-STORE",
        status: 0xa700,
        statusName: "Refused: Out of Resources",
        category: "failure",
        sopInstanceUid: "1.2.3.4",
        file: "images/ct.dcm",
        durationMs: 3,
      }],
      requests: [{
        command: "C-STORE",
        messageId: 1,
        sopClassUid: "1.2.840.10008.5.1.4.1.1.7",
        sopInstanceUid: "1.2.3.4",
        datasetBytes: 1024,
        answer: { status: 0xa700, statusName: "Refused: Out of Resources", aborted: false },
        atMs: 12,
      }],
      requestsNotListed: 3,
    },
    pdus: o.pdus,
    pdusNotListed: 5,
    wire: fullWire(),
    trimmed: { pdus: 4, records: 9 },
    error: "harness detail",
    direction: "inbound",
    peerAddress: "127.0.0.1:53122",
    trigger: {
      kind: "command",
      description: "echoscu +tls client.key client.crt +cf root.crt -aec HARNESS 127.0.0.1 40123",
      exitCode: 0,
      httpStatus: 200,
      output: "I: Received Echo Response (Success)",
      error: "none",
      stopped: false,
      durationMs: 150,
    },
    clientHello: fullWire().clientHello,
    clientCertificate: "presented",
    associationRequest: {
      callingAe: "ECHOSCU",
      calledAe: "HARNESS",
      applicationContext: "1.2.840.10008.3.1.1.1",
      presentationContexts: [{
        id: 1,
        abstractSyntax: "1.2.840.10008.1.1",
        transferSyntaxes: ["1.2.840.10008.1.2"],
        result: "acceptance",
        transferSyntax: "1.2.840.10008.1.2",
      }],
      maxPduLength: 16384,
      implementationClassUid: "1.2.276.0.7230010.3.0.3.6.7",
      implementationVersionName: "OFFIS_DCMTK_367",
      userIdentity: {
        type: 2,
        typeName: "username-and-passcode",
        positiveResponseRequested: false,
        username: "technician",
        primaryFieldLength: 10,
        passcode: true,
      },
      roleSelections: [{ sopClassUid: "1.2.840.10008.1.1", scuRole: 1, scpRole: 0 }],
      asynchronousOperationsWindow: { maxOperationsInvoked: 1, maxOperationsPerformed: 1 },
    },
    connections: [{
      peer: "127.0.0.1:53122",
      atMs: 150,
      tls: "established",
      offeredVersions: ["TLSv1.3", "TLSv1.2"],
      olderVersionsUnknown: false,
      alert: { name: "certificate_expired", code: 45 },
      associationRequested: true,
    }],
  };
  const c: Full<CaseResult> = {
    id: "scenarios/full.yaml#every field[ec-p256]",
    name: "every field",
    description: "the case's requirement",
    suite: "full",
    location: { file: "scenarios/full.yaml", line: 3, column: 5 },
    peer: "sut",
    matrix: { key: "ec-p256" },
    tags: ["all"],
    status: "failed",
    message: "expected echo success, got failure",
    assertions: [{
      path: "echo",
      expected: "success",
      actual: "failure",
      ok: false,
      unknown: "not known from a hello without supported_versions",
      location: { file: "scenarios/full.yaml", line: 4, column: 7 },
    }],
    outcome,
    profiles: [fullVerdict()],
    settings: { verify: "chain" },
    startedAt: o.startedAt,
    durationMs: 40,
  };
  const suites: Full<SuiteResult>[] = [{
    name: "full",
    description: "the suite's purpose",
    file: "scenarios/full.yaml",
    target: { host: "127.0.0.1", port: 11112, ae: "STORESCP", role: "scp" },
    sanity: { ...c, id: "scenarios/full.yaml#sanity", name: "sanity" },
    cases: [c],
    error: "none",
    peerLog: "log",
    probe: fullProbe(),
    durationMs: 50,
  }];
  const invocation: Full<RunInvocation> = {
    commandLine: ["dicomtls", "run", "scenarios/full.yaml", "--shard", "1/2"],
    host: "lab-pc-7",
    workingDirectory: "/home/tester/dicomtls",
    home: "/home/tester",
  };
  const run: Full<RunResult> = {
    schemaVersion: 1,
    tool: { name: "dicomtls", version: "0.1.0" },
    startedAt: iso(0),
    finishedAt: iso(50),
    durationMs: 50,
    invocation,
    shards: [{
      index: 1,
      total: 2,
      selection: {
        filter: "echo",
        tags: ["demo"],
        excludeTags: ["slow"],
        cases: 2,
        sha256: "5e".repeat(32),
      },
      invocation,
    }],
    interrupted: false,
    suites,
    summary: summarize(suites),
  };
  return run;
}
