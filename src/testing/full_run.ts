/**
 * The exemplar run result: every optional field of every type set, for the
 * test that keeps the JSON Schema of results and the TypeScript types in
 * step.
 *
 * @module
 */
import { fullWire } from "./full_wire.ts";
import type { Outcome } from "../outcome/mod.ts";
import { type CaseResult, type RunResult, type SuiteResult, summarize } from "../runner/result.ts";
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
      abort: { source: "service-user", reason: "reason-not-specified" },
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
        durationMs: 3,
      }],
    },
    pdus: o.pdus,
    wire: fullWire(),
    trimmed: { pdus: 4, records: 9 },
    error: "harness detail",
  };
  const c: Full<CaseResult> = {
    id: "scenarios/full.yaml#every field[ec-p256]",
    name: "every field",
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
      location: { file: "scenarios/full.yaml", line: 4, column: 7 },
    }],
    outcome,
    settings: { verify: "chain" },
    startedAt: o.startedAt,
    durationMs: 40,
  };
  const suites: Full<SuiteResult>[] = [{
    name: "full",
    file: "scenarios/full.yaml",
    target: { host: "127.0.0.1", port: 11112, ae: "STORESCP" },
    sanity: { ...c, id: "scenarios/full.yaml#sanity", name: "sanity" },
    cases: [c],
    error: "none",
    peerLog: "log",
    durationMs: 50,
  }];
  const run: Full<RunResult> = {
    schemaVersion: 1,
    tool: { name: "dicomtls", version: "0.1.0" },
    startedAt: iso(0),
    finishedAt: iso(50),
    durationMs: 50,
    shards: [{ index: 1, total: 2 }],
    interrupted: false,
    suites,
    summary: summarize(suites),
  };
  return run;
}
