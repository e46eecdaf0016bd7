/**
 * The TLS prober: what a server accepts, asked one ClientHello at a time
 * and decided by its ServerHello or alert, before any certificate is asked
 * for (so it works against servers that require a client certificate).
 *
 * - {@linkcode probeTarget}: versions SSLv3 to TLS 1.3; every suite of the
 *   IANA list valid in each accepted version, one per hello; whose order
 *   decides; groups and signature schemes; whether TLS 1.3 is preferred;
 *   the certificate chain from a TLS <= 1.2 Certificate message. Gives a
 *   {@linkcode ProbeReport} (plain data, `schemas/probe.schema.json`).
 * - {@linkcode gatherEvidence}: evidence that counts, a real A-ASSOCIATE
 *   and C-ECHO over each accepted version through the OpenSSL stack.
 * - {@linkcode HelloScheduler}: the per-target concurrency limit, bounded
 *   hellos, and back-off with retries for a target that stops answering.
 * - The parts, for callers that want one question answered:
 *   {@linkcode probeVersion}, {@linkcode probeSuites},
 *   {@linkcode probePreference}, {@linkcode probePrefersTls13},
 *   {@linkcode probeTls13Groups}, {@linkcode probeEcdheGroups},
 *   {@linkcode probeSignatureAlgorithms}; {@linkcode groupBits}.
 *
 * Hellos are built and answers decoded by src/tls/wire (`buildClientHello`,
 * `probeHello`). See docs/probe.md.
 *
 * @example
 * ```ts
 * import { probeTarget } from "./mod.ts";
 * const report = await probeTarget({ host: "127.0.0.1", port: 2762, concurrency: 8 });
 * console.log(report.versions.filter((v) => v.status === "accepted").map((v) => v.version));
 * ```
 * @module
 */
export * from "./report.ts";
export * from "./scheduler.ts";
export * from "./versions.ts";
export * from "./suites.ts";
export * from "./preference.ts";
export * from "./groups.ts";
export * from "./signature_algorithms.ts";
export * from "./probe_target.ts";
export * from "./evidence.ts";
// Types the prober's signatures use, from the layers below.
export type { TlsCredentials } from "../tls/mod.ts";
export type { ClientHelloOptions, ProbeResult } from "../tls/wire/mod.ts";
