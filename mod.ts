/**
 * dicomtls: a scriptable conformance and interoperability tester for DICOM
 * over TLS (PS3.15 Annex B, PS3.8 upper layer, PS3.7 DIMSE).
 *
 * As a library it is the programmatic API a test script uses: generate a
 * test PKI ({@linkcode generatePki}), run one secure DICOM conversation as
 * SCU ({@linkcode runScu}), start the reference AE as SCP
 * ({@linkcode startReferenceAe}), resolve and load a security context
 * ({@linkcode resolveSecurityContext}, {@linkcode SecurityLoader}), load and
 * run scenario suites ({@linkcode loadSuites}, {@linkcode selectCases},
 * {@linkcode runSuites}) and render their reports ({@linkcode renderJunit},
 * {@linkcode renderHtml}, {@linkcode renderJson}, {@linkcode writeReports}).
 * Every conversation ends as an {@linkcode Outcome}: plain data that says
 * where and why it ended. The building blocks underneath (upper layer,
 * DIMSE, TLS, PKI, YAML) are the folders' own modules, `src/<folder>/mod.ts`.
 *
 * Run as a program it is the `dicomtls` command line
 * (`deno task dicomtls --help`).
 *
 * @example Run a folder of scenario suites and write the three reports
 * ```ts
 * import { loadSuites, renderSummary, runSuites, selectCases, writeReports } from "./mod.ts";
 *
 * const suites = await loadSuites(["scenarios/demo"]);
 * const cases = selectCases(suites.flatMap((s) => s.cases), { excludeTags: ["slow"] });
 * const run = await runSuites({ suites, cases, concurrency: 4 });
 * console.log(renderSummary(run));
 * await writeReports(run, {
 *   junit: "reports/junit.xml",
 *   html: "reports/report.html",
 *   json: "reports/results.json",
 * });
 * Deno.exit(run.summary.failed + run.summary.errors === 0 ? 0 : 1);
 * ```
 *
 * @example One C-ECHO against the reference AE, both ends in this process
 * ```ts
 * import {
 *   generatePki,
 *   resolveAeConfig,
 *   resolveSecurityContext,
 *   runScu,
 *   SecurityLoader,
 *   startReferenceAe,
 * } from "./mod.ts";
 *
 * const pki = await generatePki({ spec: "fixtures/pki/standard.yaml", out: "out/pki" });
 * const ae = await startReferenceAe({
 *   config: resolveAeConfig({
 *     port: 0,
 *     security: {
 *       certificate: { kind: "pem", cert: `${pki.dir}/server.chain.pem`, key: `${pki.dir}/server.key` },
 *       verify: "chain",
 *       ca: [`${pki.dir}/root.crt`],
 *     },
 *   }),
 * });
 * try {
 *   const context = resolveSecurityContext([{
 *     certificate: { kind: "pem", cert: `${pki.dir}/client.crt`, key: `${pki.dir}/client.key` },
 *     ca: [`${pki.dir}/root.crt`],
 *   }], { role: "requestor" });
 *   const tls = await new SecurityLoader().tlsSettings(context, { role: "requestor" });
 *   const outcome = await runScu({
 *     host: ae.host,
 *     port: ae.port,
 *     callingAe: "SCRIPT",
 *     calledAe: "DICOMTLS",
 *     credentials: tls.credentials,
 *     policy: tls.policy,
 *     timeoutMs: 5000,
 *   });
 *   console.log(outcome.ok ? "C-ECHO succeeded" : `ended at ${outcome.stage}`);
 * } finally {
 *   await ae.close();
 * }
 * ```
 * @module
 */

import { main } from "./src/cli/main.ts";

// The command line.
export { main };

// The test PKI.
export {
  generatePki,
  type GeneratePkiOptions,
  type Hash,
  HASHES,
  KEY_TYPES,
  type KeyType,
  type PkiEntry,
  type PkiManifest,
  type PkiResult,
  readManifest,
  type Usage,
} from "./src/pki/mod.ts";

// One secure DICOM conversation as SCU.
export { runScu, type ScuOperation, type ScuOptions } from "./src/scu/mod.ts";
export { type Part10File, type Part10Meta, readPart10 } from "./src/part10/mod.ts";

// The security context, and what the TLS layer makes of it.
export {
  type CertificateSource,
  resolveSecurityContext,
  type SecurityContext,
  SecurityLoader,
  SecurityProblem,
  type SecurityRole,
  type SecuritySettings,
  type TlsSettings,
  type TrustAnchors,
  type VerificationMethod,
} from "./src/security/mod.ts";
export {
  HASH_STRENGTH,
  type HashName,
  type TlsCredentials,
  type TlsVersion,
  type TlsVersionRange,
  type VerificationPolicy,
} from "./src/tls/mod.ts";

// The reference AE (SCP).
export {
  AE_DEFAULTS,
  type AeConfig,
  type AeSettings,
  type AssociationLog,
  loadAeConfig,
  type ReferenceAe,
  type ReferenceAeOptions,
  resolveAeConfig,
  startReferenceAe,
} from "./src/reference_ae/mod.ts";

// Scenario suites and the runner.
export {
  type Case,
  type Expectation,
  type ExpectationCheck,
  type HarnessSettings,
  loadSuite,
  type LoadSuiteOptions,
  loadSuites,
  selectCases,
  type SelectOptions,
  type Shard,
  type Suite,
  type SuiteInstance,
  type SutTarget,
} from "./src/scenario/mod.ts";
export {
  type AssertionResult,
  type CaseResult,
  type CaseStatus,
  evaluateExpectations,
  type RunOptions,
  type RunProgress,
  type RunResult,
  runSuites,
  type RunSummary,
  type SuiteResult,
} from "./src/runner/mod.ts";

// Reports.
export {
  type ConsoleOptions,
  type HtmlOptions,
  mergeResults,
  readRunResult,
  renderCaseLine,
  renderHtml,
  renderJson,
  renderJunit,
  renderSummary,
  writeReport,
} from "./src/report/mod.ts";
export { type ReportPaths, writeReports } from "./src/cli/run.ts";

// What happened in a conversation.
export {
  type AssociationOutcome,
  type CertificateInfo,
  type DimseOperation,
  type DimseOutcome,
  type Outcome,
  type PduTrace,
  type Stage,
  type StageTiming,
  type TcpOutcome,
  type TlsAlert,
  type TlsOutcome,
  type Verification,
  VERIFICATION_REASONS,
  type VerificationReason,
} from "./src/outcome/mod.ts";

// Errors in the user's input (files, flags), located at file:line:column.
export {
  InputError,
  type InputErrorOptions,
  type SourceLocation,
  type YamlPath,
  type YamlSource,
} from "./src/yaml/mod.ts";
export { type ReadyCondition, type StartOptions } from "./src/process/mod.ts";

// Run as a program, this file is what src/cli/main.ts is: the command line
// (which loads only the command it runs).
if (import.meta.main) Deno.exit(await main(Deno.args));
