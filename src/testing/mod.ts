/**
 * The one home of test helpers, for the unit tests beside their modules
 * (`src/**\/foo_test.ts`) and the tests in `tests/` alike: real peers
 * (DCMTK, Orthanc) found or skipped loudly, the shared test PKI, OpenSSL as
 * the verdict oracle, the reference AE in-process or as `dicomtls serve`,
 * the `dicomtls` program in a child process, certificates made on the fly,
 * and sample run results for the reporters. Only test files and benches
 * import it; no module of `src/` does (`tests/layout_test.ts` checks).
 * Tests import the one file they need, so a unit test does not load peers.
 *
 * @example
 * ```ts
 * import { havePeer, pkiFile, startStorescp, testPki } from "./mod.ts";
 * Deno.test({
 *   name: "storescp accepts the trusted client",
 *   ignore: !havePeer("storescp", "dcmtk"),
 *   async fn() {
 *     const pki = await testPki();
 *     const scp = await startStorescp({
 *       cert: pkiFile(pki, "server", "chain"),
 *       key: pkiFile(pki, "server", "key"),
 *       trust: [pkiFile(pki, "root", "crt")],
 *     });
 *     await scp.stop();
 *   },
 * });
 * ```
 * @module
 */
export * from "./certificates.ts";
export * from "./cli.ts";
export * from "./full_run.ts";
export * from "./generated_run.ts";
export * from "./openssl.ts";
export * from "./peers.ts";
export * from "./pki.ts";
export * from "./reference_ae.ts";
export * from "./sample_outcomes.ts";
export * from "./sample_run.ts";
export * from "./plain_storescp.ts";
export * from "./full_wire.ts";
export * from "./listeners.ts";
export * from "./suites.ts";
export * from "./junit_schema.ts";
export * from "./browser.ts";
export * from "./ticket_run.ts";
