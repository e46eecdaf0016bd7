import type { Trigger } from "../inbound/mod.ts";
import type { StartOptions } from "../process/mod.ts";
import type { AeSettings } from "../reference_ae/config.ts";
import type { SecurityContext } from "../security/mod.ts";
import type { SourceLocation, YamlSource } from "../yaml/mod.ts";

/**
 * Our side of one case, after defaults and per-case overrides are merged and
 * every name and path is resolved.
 *
 * @example
 * ```ts
 * import type { HarnessSettings } from "./types.ts";
 * const h: HarnessSettings = {
 *   callingAe: "HARNESS", calledAe: "STORESCP",
 *   security: {
 *     certificate: { kind: "none" }, verify: "none", thumbprints: [], ca: [],
 *     checkHostname: false, mutual: true, tls: {},
 *   },
 * };
 * ```
 */
export interface HarnessSettings {
  /** Our AE title, sent as the calling AE title. */
  callingAe: string;
  /** The SUT's AE title, sent as the called AE title. */
  calledAe: string;
  /** Our security context as requester: certificate, trust, verification, TLS versions (paths absolute). */
  security: SecurityContext;
  /** `tls: off`: the association in plain DICOM, without TLS. */
  plain?: boolean;
}

/**
 * The system under test as one suite instance sees it.
 *
 * @example
 * ```ts
 * import type { SutTarget } from "./types.ts";
 * const sut: SutTarget = { role: "scp", ae: "STORESCP", host: "127.0.0.1", port: 11112 };
 * ```
 */
export interface SutTarget {
  /** scp: we connect to it (we are the SCU); scu: it connects to us (inbound, docs/inbound.md). */
  role: "scp" | "scu";
  /** The SUT's AE title (role scu: the calling AE title we accept). */
  ae: string;
  /** The SUT's host name or address (role scu: where we listen, for reports). */
  host: string;
  /** The SUT's port; 0 with `reference` picks a free one (role scu: where we listen, 0 for a free port per case). */
  port: number;
  /** Role scu: how the SUT is made to connect, unless a case says otherwise. */
  trigger?: Trigger;
  /** What to start before the suite (ready for {@linkcode startProcess}). */
  start?: StartOptions;
  /** Our reference AE to run in-process as the SUT (`start: { reference: ... }`); port 0 picks one. */
  reference?: AeSettings;
}

/**
 * One thing a case expects, by the path written in the scenario (e.g.
 * `tls.protocol`, `alert`, `duration.max`), with the value as written (a list
 * means any of its items) and where it is written.
 *
 * @example
 * ```ts
 * import type { ExpectationCheck } from "./types.ts";
 * const c: ExpectationCheck = {
 *   path: "alert", expected: ["certificate_expired", "bad_certificate"],
 *   location: { file: "s.yaml", line: 9, column: 40 },
 * };
 * ```
 */
export interface ExpectationCheck {
  /** What is checked, as written, e.g. `tls.protocol`. */
  path: string;
  /** The expected value as written; a list means any of its items. */
  expected: unknown;
  /** Where the expectation is written. */
  location: SourceLocation;
}

/**
 * A case's expectations: the checks, and whether it is a known failure.
 *
 * @example
 * ```ts
 * import type { Expectation } from "./types.ts";
 * const e: Expectation = { checks: [], fails: false };
 * ```
 */
export interface Expectation {
  /** The checks, in the order written. */
  checks: ExpectationCheck[];
  /** `fails: true`: a known failure (xfail). */
  fails: boolean;
}

/**
 * One runnable case: a suite case for one matrix entry, with everything
 * resolved (defaults merged, paths absolute, PKI names turned into files).
 *
 * @example
 * ```ts
 * import type { Case } from "./types.ts";
 * declare const c: Case;
 * console.log(c.id, c.harness.security.certificate.kind, c.timeoutMs);
 * ```
 */
export interface Case {
  /** Stable across runs and shards: file, name and matrix label, e.g. `s.yaml::echo works[key=ec-p256]`. */
  id: string;
  /** The case's name as written. */
  name: string;
  /** The suite's name. */
  suite: string;
  /** The scenario file as the user named it (relative to the working directory when inside it). */
  file: string;
  /** Where the case is written. */
  location: SourceLocation;
  /** The case's description, shown in reports. */
  description?: string;
  /** Suite tags, then the case's own. */
  tags: string[];
  /** The matrix entry this case runs with, e.g. `{ key: "rsa-2048" }`. */
  matrix?: Record<string, string>;
  /** The suite instance (file and matrix entry): cases of one group share one SUT and its start. */
  group: string;
  /** The peer the case talks to. */
  peer: "sut";
  /** The system under test. */
  sut: SutTarget;
  /** What the case does once associated: C-ECHO or C-STORE. */
  operation: "echo" | "store";
  /** Absolute paths of the files to C-STORE. */
  files: string[];
  /** Our side of the conversation: AE titles and security context. */
  harness: HarnessSettings;
  /** Deadline of the conversation, from TCP connect to release. */
  timeoutMs: number;
  /** What the case expects of the Outcome. */
  expect: Expectation;
  /** Why the case is not run, when `skip:` says so. */
  skip?: string;
  /** Role scu (inbound): where we listen, and how the SUT is made to connect. */
  inbound?: InboundCase;
}

/**
 * What an inbound case (the SUT is an SCU) adds: where we listen and the
 * trigger, its `${harness.*}` placeholders still to be filled in.
 *
 * @example
 * ```ts
 * import type { InboundCase } from "./types.ts";
 * const i: InboundCase = {
 *   host: "127.0.0.1", port: 0,
 *   trigger: { kind: "command", command: ["echoscu", "127.0.0.1", "${harness.port}"] },
 * };
 * ```
 */
export interface InboundCase {
  /** Where we listen (`peers.harness.host`, default 127.0.0.1). */
  host: string;
  /** Where we listen; 0 picks a free port per case (`peers.harness.port`). */
  port: number;
  /** How the SUT is made to connect (the case's `trigger`, or the SUT's). */
  trigger: Trigger;
}

/**
 * A suite for one matrix entry (or the only one): its SUT, PKI and concurrency.
 *
 * @example
 * ```ts
 * import type { SuiteInstance } from "./types.ts";
 * declare const i: SuiteInstance;
 * console.log(i.id, i.sut.port, i.concurrency);
 * ```
 */
export interface SuiteInstance {
  /** The same as {@linkcode Case.group} of its cases. */
  id: string;
  /** The suite's name with its variables filled in for this entry (the reports' suite name). */
  name: string;
  /** The suite's description with its variables filled in for this entry (shown in reports). */
  description?: string;
  /** The matrix entry of this instance. */
  matrix?: Record<string, string>;
  /** The system under test for this matrix entry. */
  sut: SutTarget;
  /** The lower of the suite's and the SUT's concurrency limits, when any is set. */
  concurrency?: number;
  /** The generated PKI (absolute folder), when the suite names a spec. */
  pki?: { spec: string; dir: string };
}

/**
 * A loaded, validated scenario file and its expanded cases.
 *
 * @example
 * ```ts
 * import type { Suite } from "./types.ts";
 * declare const s: Suite;
 * console.log(`${s.name}: ${s.cases.length} cases`);
 * ```
 */
export interface Suite {
  /** The suite's name, interpolated (for the first matrix entry; each instance has its own). */
  name: string;
  /** As the user named it (relative to the working directory when inside it). */
  file: string;
  /** Absolute folder of the file: relative paths resolve from here. */
  dir: string;
  /** The suite's description, shown in reports. */
  description?: string;
  /** The suite's tags, given to every case. */
  tags: string[];
  /** The document as written (before interpolation). */
  definition: Record<string, unknown>;
  /** The parsed file with source positions, for locating later problems. */
  source: YamlSource;
  /** One per matrix entry (one when there is no matrix). */
  instances: SuiteInstance[];
  /** Every case of every instance. */
  cases: Case[];
}
