/**
 * The OpenSSL TLS stack: what Deno's rustls-backed `node:tls` cannot speak
 * (TLS 1.0/1.1, RSA key exchange, CBC/CAMELLIA/ARIA/NULL suites, DHE, chosen
 * groups and signature algorithms, 512/1024-bit RSA, MD5/SHA-1 signed and DSA
 * certificates at security level 0), in both roles. One Node.js helper
 * process per run runs OpenSSL's TLS state machines; Deno keeps the TCP
 * sockets and relays their bytes (see docs/openssl-stack.md).
 *
 * @example
 * ```ts
 * import net from "node:net";
 * import { closeSharedOpenSsl, OpenSslError, sharedOpenSsl } from "./mod.ts";
 * const socket = net.connect({ host: "127.0.0.1", port: 11112, noDelay: true });
 * const engine = await sharedOpenSsl();
 * try {
 *   const tls = await engine.connect({
 *     ciphertext: socket, minVersion: "TLSv1", maxVersion: "TLSv1.2",
 *     ciphers: ["TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"], timeoutMs: 5000,
 *   });
 *   console.log(tls.protocol, tls.cipher.standardName, tls.ephemeralKey?.size);
 *   tls.plaintext.end();
 * } catch (e) {
 *   if (e instanceof OpenSslError && e.kind !== "local") console.log("refused:", e.message);
 *   else throw e;
 * }
 * await closeSharedOpenSsl();
 * ```
 * @module
 */
export * from "./engine.ts";
export * from "./errors.ts";
export * from "./handshake.ts";
export * from "./names.ts";
export * from "./options.ts";
export * from "./shared.ts";
// Types the stack's signatures use, from the layers below.
export type { TlsAlert } from "../../outcome/mod.ts";
export type { TlsVersion } from "../version.ts";
