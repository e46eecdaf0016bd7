/**
 * The security context of a DICOM TLS party, in the model common DICOM SDKs
 * use: the local certificate (PEM files, a PKCS#12 file, or chosen from a
 * certificate store by subject or thumbprint), how the peer's certificate is
 * verified (none, chain of trust, thumbprint list), mutual authentication and
 * the TLS versions. Requester (SCU) and acceptor (SCP) each have one.
 *
 * @module
 */
export * from "./certificate_store.ts";
export * from "./context.ts";
