/**
 * The security context of a DICOM TLS party, in the model common DICOM SDKs
 * use: the local certificate (PEM files, a PKCS#12 file, or chosen from a
 * certificate store by subject or thumbprint), how the peer's certificate is
 * verified (none, chain of trust, thumbprint list), mutual authentication,
 * host name checking and the TLS versions. Requester (SCU) and acceptor
 * (SCP) each have one. CLI flags, AE config files and scenario harness keys
 * resolve to a {@linkcode SecurityContext}; a {@linkcode SecurityLoader}
 * turns it into what the TLS layer takes.
 *
 * @example
 * ```ts
 * import { resolveSecurityContext, SecurityLoader } from "./mod.ts";
 * const context = resolveSecurityContext([{ ca: ["pki/root.crt"] }], { role: "requestor" });
 * const settings = await new SecurityLoader().tlsSettings(context, { role: "requestor" });
 * ```
 * @module
 */
export * from "./certificate_source.ts";
export * from "./certificate_store.ts";
export * from "./context.ts";
export * from "./local_certificate.ts";
export * from "./tls_settings.ts";
export * from "./trust_anchors.ts";
