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
  callingAe: string;
  calledAe: string;
  /** Our security context as requester: certificate, trust, verification, TLS versions (paths absolute). */
  security: SecurityContext;
}

/**
 * The system under test as one suite instance sees it.
 *
 * @example
 * ```ts
 * const sut: SutTarget = { role: "scp", ae: "STORESCP", host: "127.0.0.1", port: 11112 };
 * ```
 */
export interface SutTarget {
  role: "scp";
  ae: string;
  host: string;
  port: number;
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
 * const c: ExpectationCheck = {
 *   path: "alert", expected: ["certificate_expired", "bad_certificate"],
 *   location: { file: "s.yaml", line: 9, column: 40 },
 * };
 * ```
 */
export interface ExpectationCheck {
  path: string;
  expected: unknown;
  location: SourceLocation;
}

/**
 * A case's expectations: the checks, and whether it is a known failure.
 *
 * @example
 * ```ts
 * const e: Expectation = { checks: [], fails: false };
 * ```
 */
export interface Expectation {
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
 * declare const c: Case;
 * console.log(c.id, c.harness.security.certificate.kind, c.timeoutMs);
 * ```
 */
export interface Case {
  /** Stable across runs and shards: file, name and matrix label, e.g. `s.yaml::echo works[key=ec-p256]`. */
  id: string;
  name: string;
  /** The suite's name. */
  suite: string;
  /** The scenario file as the user named it (relative to the working directory when inside it). */
  file: string;
  location: SourceLocation;
  description?: string;
  /** Suite tags, then the case's own. */
  tags: string[];
  matrix?: Record<string, string>;
  /** The suite instance (file and matrix entry): cases of one group share one SUT and its start. */
  group: string;
  /** The peer the case talks to. */
  peer: "sut";
  sut: SutTarget;
  operation: "echo" | "store";
  /** Absolute paths of the files to C-STORE. */
  files: string[];
  harness: HarnessSettings;
  timeoutMs: number;
  expect: Expectation;
  /** Why the case is not run, when `skip:` says so. */
  skip?: string;
}

/**
 * A suite for one matrix entry (or the only one): its SUT, PKI and concurrency.
 *
 * @example
 * ```ts
 * declare const i: SuiteInstance;
 * console.log(i.id, i.sut.port, i.concurrency);
 * ```
 */
export interface SuiteInstance {
  /** The same as {@linkcode Case.group} of its cases. */
  id: string;
  matrix?: Record<string, string>;
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
 * declare const s: Suite;
 * console.log(`${s.name}: ${s.cases.length} cases`);
 * ```
 */
export interface Suite {
  name: string;
  /** As the user named it (relative to the working directory when inside it). */
  file: string;
  /** Absolute folder of the file: relative paths resolve from here. */
  dir: string;
  description?: string;
  tags: string[];
  /** The document as written (before interpolation). */
  definition: Record<string, unknown>;
  source: YamlSource;
  instances: SuiteInstance[];
  cases: Case[];
}
