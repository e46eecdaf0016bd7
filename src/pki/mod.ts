/**
 * The test PKI: every certificate a DICOM TLS test needs (valid, expired,
 * not yet valid, self-signed, untrusted, wrong usage, weak key, SHA-1,
 * revoked, corrupted, wrong key) generated from one YAML spec, exported as
 * PEM, DER, PKCS#8, PKCS#12 and CRLs, with a manifest of thumbprints and the
 * verdict a correct verifier must reach for each.
 *
 * @example
 * ```ts
 * import { generatePki, readManifest } from "./mod.ts";
 * const pki = await generatePki({ spec: "fixtures/pki/standard.yaml", out: "out/pki" });
 * const again = await readManifest(pki.dir);
 * ```
 * @module
 */
export * from "./generate.ts";
export * from "./generate_shared.ts";
export * from "./manifest.ts";
export * from "./spec.ts";
export * from "./keys.ts";
export * from "./der.ts";
export * from "./expected.ts";
export * from "./pkcs12.ts";
export * from "./windows.ts";
export * from "./device_settings.ts";
