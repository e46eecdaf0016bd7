/**
 * Inbound cases: the system under test is an SCU that connects to us. We
 * listen with the case's server certificate (any PKI variant) after a
 * sanity handshake of our own, make the SUT connect (a command, an HTTP
 * request, an operator), and record what it offered and did: its
 * ClientHello, whether it completed the handshake or refused our
 * certificate (its alert, and how far it got), its client certificate and
 * our verdict, its A-ASSOCIATE-RQ, its DIMSE requests with the reference
 * AE's answers, and its release or abort, as an Outcome with `direction:
 * "inbound"` (see docs/inbound.md).
 *
 * @example
 * ```ts
 * import { runInbound } from "./mod.ts";
 * import type { SecurityContext } from "../security/mod.ts";
 * declare const security: SecurityContext;
 * const { outcome, problem } = await runInbound({
 *   ae: "HARNESS", acceptCalling: [], security, timeoutMs: 10_000,
 *   trigger: { kind: "command", command: ["echoscu", "-aec", "HARNESS", "127.0.0.1", "${harness.port}"] },
 * });
 * console.log(problem?.message ?? `${outcome.tls?.status} ${outcome.clientHello?.offeredVersions}`);
 * ```
 * @module
 */
export * from "./association_request.ts";
export * from "./connection.ts";
export * from "./refusal_cause.ts";
export * from "./refused.ts";
export * from "./run.ts";
export * from "./run_trigger.ts";
export * from "./sanity.ts";
export * from "./trigger.ts";
