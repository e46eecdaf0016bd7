/**
 * The reference AE: our own DICOM TLS SCP (src/scu/ is the SCU side), set up
 * with the security model of common DICOM SDKs (an acceptor security context,
 * see src/security/): a local certificate from files or from a store by
 * subject CN or thumbprint, verification of the client none / chain /
 * thumbprint list, mutual authentication, a TLS floor; an AE policy (own and
 * accepted AE titles, Verification and Storage presentation contexts); C-STORE
 * data sets streamed to Part 10 files; limits on connections (in all and
 * per address), time, sizes and memory against hostile peers.
 *
 * @example
 * ```ts
 * import { loadAeConfig, resolveAeConfig } from "./mod.ts";
 * const config = resolveAeConfig(await loadAeConfig("fixtures/ae/ae.yaml"), { port: 0 });
 * ```
 * @module
 */
export * from "./association_log.ts";
export * from "./config.ts";
export * from "./policy.ts";
export * from "./connection.ts";
export * from "./dimse_handlers.ts";
export * from "./limit_log.ts";
export * from "./refused_handshake.ts";
export * from "./serve_request.ts";
export * from "./server.ts";
export * from "./sop_classes.ts";
export * from "./store_file.ts";
