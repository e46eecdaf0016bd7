/**
 * The SCU engine: one secure DICOM conversation as the requester (TCP, TLS
 * with our verification of the SCP, A-ASSOCIATE, C-ECHO / C-STORE,
 * A-RELEASE), returned as an Outcome record that says where and why it
 * ended. `dicomtls echo`, `dicomtls store` and every outbound scenario case
 * go through {@linkcode runScu}.
 *
 * @module
 */
export * from "./run.ts";
