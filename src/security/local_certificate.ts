import { loadCredentials, type TlsCredentials } from "../tls/mod.ts";
import { openCertificateStore, selectCertificate } from "./certificate_store.ts";
import type { CertificateSource } from "./context.ts";

/**
 * Loads the local certificate a {@linkcode CertificateSource} names (none
 * for `kind: "none"`), checking that its key matches. Unreadable files, a
 * store without exactly one match, and a key that does not match are
 * `InputError`s.
 *
 * @example
 * ```ts
 * import { loadLocalCertificate } from "./local_certificate.ts";
 * const local = await loadLocalCertificate({ kind: "store", store: "out/pki", subject: "localhost" });
 * console.log(local?.certificate.sha1);
 * ```
 */
export async function loadLocalCertificate(
  source: CertificateSource,
): Promise<TlsCredentials | undefined> {
  switch (source.kind) {
    case "none":
      return undefined;
    case "store": {
      const store = await openCertificateStore(source.store, { password: source.password });
      return selectCertificate(store, { subject: source.subject, thumbprint: source.thumbprint });
    }
    case "p12":
      return await loadCredentials({ p12: source.p12, password: source.password });
    case "pem":
      return await loadCredentials({
        cert: source.cert,
        key: source.key,
        password: source.password,
      });
  }
}
