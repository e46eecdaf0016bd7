import type { CertificateSource } from "./context.ts";
import { SecurityProblem } from "./context.ts";

/**
 * The local certificate as flat fields, the way AE config files and
 * command-line flags give it: PEM files, a PKCS#12 file, or a store with a
 * selection.
 */
export interface CertificateFields {
  /** Certificate PEM file (may hold the chain after it). */
  cert?: string;
  /** Private key PEM file for `cert`. */
  key?: string;
  /** PKCS#12 file with certificate, chain and key. */
  p12?: string;
  /** PKCS#12 password (for `p12` and for `.p12` files in `store`), or of an encrypted key. */
  password?: string;
  /** Certificate store folder to select from. */
  store?: string;
  /** Subject CN to select in `store`; default the host name. */
  subject?: string;
  /** SHA-1 or SHA-256 thumbprint to select in `store`. */
  storeThumbprint?: string;
}

/**
 * The {@linkcode CertificateSource} of flat fields; undefined when they name
 * no certificate. Several sources at once, a certificate without its key,
 * a selection without a store are {@linkcode SecurityProblem}s naming the
 * field.
 *
 * @example
 * ```ts
 * import { certificateSourceOf } from "./certificate_source.ts";
 * certificateSourceOf({ store: "pki", subject: "localhost" });
 * // { kind: "store", store: "pki", subject: "localhost" }
 * ```
 */
export function certificateSourceOf(f: CertificateFields): CertificateSource | undefined {
  const pem = f.cert !== undefined || f.key !== undefined;
  if ([pem, f.p12 !== undefined, f.store !== undefined].filter(Boolean).length > 1) {
    throw new SecurityProblem(
      "cert",
      "give one certificate source, not several",
      "either cert + key, or p12, or store",
    );
  }
  if ((f.cert === undefined) !== (f.key === undefined)) {
    throw new SecurityProblem(
      f.cert === undefined ? "key" : "cert",
      "cert and key go together",
      "give both the certificate and its key",
    );
  }
  const selection = f.subject !== undefined ? "subject" : "storeThumbprint";
  if ((f.subject !== undefined || f.storeThumbprint !== undefined) && f.store === undefined) {
    throw new SecurityProblem(selection, "a selection needs a store", "add a store folder");
  }
  if (f.subject !== undefined && f.storeThumbprint !== undefined) {
    throw new SecurityProblem(
      "subject",
      "select by subject or by thumbprint, not both",
      "drop one of them",
    );
  }
  const password = f.password === undefined ? {} : { password: f.password };
  if (pem) return { kind: "pem", cert: f.cert!, key: f.key!, ...password };
  if (f.p12 !== undefined) return { kind: "p12", p12: f.p12, ...password };
  if (f.store === undefined) return undefined;
  return {
    kind: "store",
    store: f.store,
    ...(f.subject !== undefined ? { subject: f.subject } : {}),
    ...(f.storeThumbprint !== undefined ? { thumbprint: f.storeThumbprint } : {}),
    ...password,
  };
}
