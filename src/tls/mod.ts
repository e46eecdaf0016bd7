/**
 * The TLS layer: connect with `node:tls` (noDelay on, TLS 1.2/1.3, our
 * client certificate from PEM or PKCS#12), classify peer refusals (the alert,
 * or a close without one, also when TLS 1.3 delivers it after our handshake),
 * and verify peers ourselves: a certification path checker that reports every
 * reason, and the verification policies of common DICOM SDKs (none, chain of
 * trust, thumbprint list).
 *
 * @example
 * ```ts
 * import { connectTls, loadCredentials } from "./mod.ts";
 * const credentials = await loadCredentials({ cert: "client.crt", key: "client.key" });
 * const c = await connectTls({
 *   host: "127.0.0.1", port: 2762, credentials, timeoutMs: 5000,
 *   policy: { method: "thumbprint", thumbprints: "A1B2...;C3D4..." },
 * });
 * console.log(c.ok ? c.tls.protocol : c.tls?.alert ?? c.tcp.status);
 * ```
 * @module
 */
export * from "./alerts.ts";
export * from "./classify.ts";
export * from "./certificate_info.ts";
export * from "./connect.ts";
export * from "./connect_plain.ts";
export * from "./credentials.ts";
export * from "./peer_certificates.ts";
export * from "./key_exchange.ts";
export * from "./policy.ts";
export * from "./stack.ts";
export * from "./server.ts";
export * from "./thumbprint.ts";
export * from "./handshake_verdict.ts";
export * from "./verify_path.ts";
export * from "./version.ts";
export * from "./host.ts";
