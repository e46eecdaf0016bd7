import type { VerificationReason } from "../outcome/reasons.ts";

/** What a certificate is for: EKU clientAuth, serverAuth, both, none; `ca` for authorities. */
export type Usage = "client" | "server" | "both" | "none" | "ca";

/** One certificate of a generated PKI, as `manifest.json` lists it. */
export interface PkiEntry {
  /** The name in the spec; also the base of every file name. */
  name: string;
  /** An authority (a CA that issues) or an end-entity certificate. */
  kind: "authority" | "certificate";
  /** Distinguished name, e.g. "CN=HARNESS, O=Example Hospital". */
  subject: string;
  /** Distinguished name of the issuer (the subject itself when self-signed). */
  issuer: string;
  /** Spec name of the issuing authority; absent for self-signed certificates. */
  issuerName?: string;
  /** Spec name of the self-signed authority (or the certificate itself) its chain ends at. */
  root?: string;
  /** Uppercase hex. */
  serial: string;
  /** ISO 8601. */
  notBefore: string;
  /** End of the validity period, ISO 8601. */
  notAfter: string;
  /** e.g. "ec-p256", "rsa-2048". */
  keyType: string;
  /** Signature hash, e.g. "sha256". */
  hash: string;
  /** What the certificate is for (extended key usage), `ca` for authorities. */
  usage: Usage;
  /** Thumbprints of the DER certificate: uppercase hex, no separators (as Windows shows them). */
  sha1: string;
  /** SHA-256 thumbprint, in the same form as `sha1`. */
  sha256: string;
  /** File names relative to the PKI folder. */
  files: { crt: string; key: string; der: string; p12: string; chain?: string; crl?: string };
  /**
   * What a correct verifier concludes with the standard trust (the spec's
   * trusted roots, every CRL, role `expectedFor`) under a policy that requires
   * RSA keys of at least 2048 bits and SHA-256 or better (`weak-key`,
   * `weak-hash` apply only under such a minimum).
   */
  expected: "valid" | VerificationReason;
  /** The TLS role `expected` was decided for; absent when the usage does not restrict it. */
  expectedFor?: "client" | "server";
  /** Whether this self-signed authority belongs to the standard trust. */
  trusted?: boolean;
  /** Hash of the spec entry and its issuer chain: unchanged entries are reused on the next run. */
  inputHash?: string;
}

/** `manifest.json` of a generated PKI. */
export interface PkiManifest {
  /** Format version of the manifest. */
  schemaVersion: 1;
  /** The spec file it was generated from (absolute path). */
  spec: string;
  /** Password of every .p12 file. */
  password: string;
  /** Every authority and certificate, issuers before what they issue. */
  entries: PkiEntry[];
}

/**
 * Reads `manifest.json` from a generated PKI folder.
 *
 * @example
 * ```ts
 * import { readManifest } from "./manifest.ts";
 * const manifest = await readManifest("out/pki");
 * manifest.entries.find((e) => e.name === "client")?.sha1;
 * ```
 */
export async function readManifest(dir: string): Promise<PkiManifest> {
  const manifest = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`)) as PkiManifest;
  if (manifest.schemaVersion !== 1) {
    throw new Error(
      `Cannot read ${dir}/manifest.json: schemaVersion ${manifest.schemaVersion} is not 1`,
    );
  }
  return manifest;
}
