import { X509Certificate } from "node:crypto";
import {
  certificateInfo as certificateInfoOf,
  CredentialsError,
  loadCredentials,
  parseThumbprints,
  type TlsCredentials,
} from "../tls/mod.ts";
import { InputError } from "../yaml/input_error.ts";

/** One certificate with its private key, as found in a certificate store folder. */
export interface StoreEntry {
  /** Where it came from: "server.crt + server.key" or "server.p12". */
  source: string;
  /** The subject's common name, if it has one. */
  subjectCn?: string;
  /** The certificate, its chain and key, ready for TLS. */
  credentials: TlsCredentials;
  /** Set when the key does not belong to the certificate: selecting this entry throws it. */
  problem?: CredentialsError;
}

/** A folder read as a certificate store: its usable entries and what could not be read. */
export interface CertificateStore {
  /** The folder read. */
  dir: string;
  /** The certificates with a usable private key. */
  entries: StoreEntry[];
  /** Files skipped with the reason, e.g. "server.p12: cannot open PKCS#12 file: wrong password". */
  skipped: string[];
}

/** How to pick the local certificate: by subject CN (default: the host name) or by thumbprint. */
export interface StoreSelector {
  /** Subject common name, compared case-insensitively. */
  subject?: string;
  /** SHA-1 or SHA-256 thumbprint, any case, with or without separators. */
  thumbprint?: string;
}

/**
 * Reads a folder as a personal certificate store (Windows' "My", from which
 * DICOM SDKs pick the local certificate): every
 * `NAME.crt` with a `NAME.key` beside it (sent with `NAME.chain.pem`, the
 * certificate and its intermediates, when present)
 * and every `NAME.p12`/`NAME.pfx`. A certificate present both as PEM and as
 * PKCS#12 counts once. A `.crt` without a key is not a personal certificate
 * and is ignored.
 *
 * @example
 * ```ts
 * import { openCertificateStore, selectCertificate } from "./certificate_store.ts";
 * const store = await openCertificateStore("out/pki", { password: "dicomtls" });
 * const credentials = selectCertificate(store, { subject: "localhost" });
 * ```
 */
export async function openCertificateStore(
  dir: string,
  options: { password?: string } = {},
): Promise<CertificateStore> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) if (e.isFile) names.push(e.name);
  } catch (e) {
    throw new InputError({
      message: `cannot read certificate store ${dir}: ${(e as Error).message}`,
      hint: "give a folder holding NAME.crt + NAME.key pairs or NAME.p12 files",
    });
  }
  names.sort();
  const store: CertificateStore = { dir, entries: [], skipped: [] };
  const seen = new Set<string>();
  for (const name of names) {
    const base = /^(.*)\.(crt|p12|pfx)$/i.exec(name)?.[1];
    const pem = name.endsWith(".crt") && names.includes(`${base}.key`);
    if (!pem && !/\.(p12|pfx)$/i.test(name)) continue;
    const source = pem ? `${name} + ${base}.key` : name;
    try {
      const credentials = await loadCredentials(
        pem
          ? {
            // NAME.chain.pem, as `dicomtls pki` writes it, is the certificate and its intermediates.
            cert: `${dir}/${names.includes(`${base}.chain.pem`) ? `${base}.chain.pem` : name}`,
            key: `${dir}/${base}.key`,
          }
          : { p12: `${dir}/${name}`, password: options.password },
      );
      add(store, seen, { source, credentials });
    } catch (e) {
      if (e instanceof CredentialsError && e.reason === "key-mismatch" && pem) {
        // Still listed (and selectable by name) so that choosing it names the fault.
        const certificate = await Deno.readTextFile(`${dir}/${name}`);
        add(store, seen, { source, credentials: mismatched(certificate, source), problem: e });
      } else {
        store.skipped.push(`${name}: ${(e as InputError).detail ?? (e as Error).message}`);
      }
    }
  }
  return store;
}

function add(store: CertificateStore, seen: Set<string>, entry: StoreEntry): void {
  const c = entry.credentials.certificate;
  if (seen.has(c.sha256)) return;
  seen.add(c.sha256);
  const cn = new X509Certificate(entry.credentials.chain[0]).subject.split("\n")
    .find((l) => l.startsWith("CN="))?.slice(3);
  store.entries.push({ ...entry, subjectCn: cn });
}

// Credentials for listing only: the certificate without a usable key.
function mismatched(certPem: string, source: string): TlsCredentials {
  const der = new Uint8Array(new X509Certificate(certPem).raw);
  return { cert: certPem, key: "", chain: [der], certificate: certificateInfoOf(der), source };
}

/**
 * Picks exactly one certificate from a store, as DICOM SDKs do: by thumbprint
 * when given, else by subject CN (default: this machine's host name). Throws
 * an {@linkcode InputError} listing what the store holds when none or several
 * match, or when the chosen certificate's private key does not match it.
 *
 * @example
 * ```ts
 * import { type CertificateStore, selectCertificate } from "./certificate_store.ts";
 * declare const store: CertificateStore;
 * const credentials = selectCertificate(store, { thumbprint: "a1:b2:..." });
 * console.log(credentials.certificate.subject);
 * ```
 */
export function selectCertificate(
  store: CertificateStore,
  selector: StoreSelector,
): TlsCredentials {
  let wanted: string;
  let matches: StoreEntry[];
  if (selector.thumbprint !== undefined) {
    const [t] = parseThumbprints(selector.thumbprint);
    wanted = `thumbprint ${t}`;
    matches = store.entries.filter((e) =>
      e.credentials.certificate.sha1 === t || e.credentials.certificate.sha256 === t
    );
  } else {
    const cn = selector.subject ?? Deno.hostname();
    wanted = `subject CN=${cn}${selector.subject === undefined ? " (the host name)" : ""}`;
    matches = store.entries.filter((e) => e.subjectCn?.toLowerCase() === cn.toLowerCase());
  }
  const describe = (e: StoreEntry) =>
    `${e.source} (${e.credentials.certificate.subject}, SHA-1 ${e.credentials.certificate.sha1})`;
  const skipped = store.skipped.length ? ` (skipped: ${store.skipped.join("; ")})` : "";
  if (matches.length !== 1) {
    throw new InputError({
      message: `certificate store ${store.dir}: ${
        matches.length ? `${matches.length} certificates match` : "no certificate matches"
      } ${wanted}`,
      hint: matches.length
        ? `select one by thumbprint: ${
          matches.map((e) => `${e.credentials.certificate.sha1} (${e.source})`).join(", ")
        }`
        : store.entries.length
        ? `it holds: ${store.entries.map(describe).join("; ")}${skipped}`
        : `it holds no certificate with a private key${skipped}`,
    });
  }
  const [entry] = matches;
  if (entry.problem) {
    throw new InputError({
      message:
        `certificate store ${store.dir}: ${entry.source}: the private key does not match the certificate`,
      hint: "pair each certificate with the key it was issued for",
    });
  }
  return { ...entry.credentials, source: `store ${store.dir}: ${entry.source}` };
}
