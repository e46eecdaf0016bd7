/**
 * The SCU engine: one secure DICOM conversation as the requester (TCP, TLS
 * with our verification of the SCP, A-ASSOCIATE, C-ECHO / C-STORE,
 * A-RELEASE), returned as an Outcome record that says where and why it
 * ended. `dicomtls echo`, `dicomtls store` and every outbound scenario case
 * go through {@linkcode runScu}; each stage is a file of its own.
 *
 * @example
 * ```ts
 * import { runScu } from "./mod.ts";
 * const outcome = await runScu({
 *   host: "127.0.0.1", port: 11112, callingAe: "DICOMTLS", calledAe: "STORESCP",
 *   policy: { method: "none" }, timeoutMs: 5000,
 * });
 * console.log(outcome.stage);
 * ```
 * @module
 */
export * from "./options.ts";
export { describeAssociationFailure } from "./_failure.ts";
export { ourAbort } from "./_abort.ts";
export * from "./run.ts";
