import { createPrivateKey, X509Certificate } from "node:crypto";
import type { CertificateInfo } from "../outcome/mod.ts";
import { certificateInfo } from "../tls/certificate_info.ts";
import { InputError } from "../yaml/mod.ts";
import { readPkcs12 } from "./_pkcs12.ts";
import { parseThumbprints } from "../tls/thumbprint.ts";

/** One certificate with its private key, as found in a certificate store folder. */
export interface StoreEntry {
  /** Where it came from: "server.crt + server.key" or "server.p12". */
  source: string;
  /** The subject's common name, if it has one. */
  subjectCn?: string;
  info: CertificateInfo;
  certPem: string;
  keyPem: string;
  /** Intermediate certificates sent after the leaf (NAME.chain.pem or the PKCS#12's others). */
  chainPem: string[];
}

/** A folder read as a certificate store: its usable entries and what could not be read. */
export interface CertificateStore {
  dir: string;
  entries: StoreEntry[];
  /** Files skipped with the reason, e.g. "server.p12: wrong password?". */
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
 * Reads a folder as the SDK's personal certificate store ("My"): every
 * `NAME.crt` with a `NAME.key` beside it (and `NAME.chain.pem` if present)
 * and every `NAME.p12`/`NAME.pfx`. A certificate present both as PEM and as
 * PKCS#12 counts once. A `.crt` without a key is not a personal certificate
 * and is ignored.
 *
 * @example
 * ```ts
 * const store = await openCertificateStore("out/pki", { password: "dicomtls" });
 * const entry = selectCertificate(store, { subject: "localhost" });
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
  const entries: StoreEntry[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const add = (source: string, certPem: string, keyPem: string, chainPem: string[]) => {
    const cert = new X509Certificate(certPem);
    const info = certificateInfo(new Uint8Array(cert.raw));
    if (seen.has(info.sha256)) return;
    seen.add(info.sha256);
    const cn = cert.subject.split("\n").find((l) => l.startsWith("CN="))?.slice(3);
    entries.push({ source, subjectCn: cn, info, certPem, keyPem, chainPem });
  };
  for (const name of names) {
    const path = `${dir}/${name}`;
    try {
      const pair = /^(.*)\.crt$/.exec(name);
      if (pair && names.includes(`${pair[1]}.key`)) {
        const chainFile = `${pair[1]}.chain.pem`;
        const chain = names.includes(chainFile)
          ? splitPem(await Deno.readTextFile(`${dir}/${chainFile}`))
          : [];
        add(
          `${name} + ${pair[1]}.key`,
          await Deno.readTextFile(path),
          await Deno.readTextFile(`${dir}/${pair[1]}.key`),
          chain,
        );
      } else if (/\.(p12|pfx)$/i.test(name)) {
        const p12 = readPkcs12(await Deno.readFile(path), options.password ?? "");
        add(name, p12.certPem, p12.keyPem, p12.chainPem);
      }
    } catch (e) {
      skipped.push(`${name}: ${(e as Error).message}`);
    }
  }
  return { dir, entries, skipped };
}

/**
 * Picks exactly one certificate from a store, as the SDK does: by thumbprint
 * when given, else by subject CN (default: this machine's host name). Throws
 * an {@linkcode InputError} listing what the store holds when none or several
 * match, or when the chosen certificate's private key does not match it.
 *
 * @example
 * ```ts
 * const entry = selectCertificate(store, { thumbprint: "a1:b2:..." });
 * console.log(entry.info.subject);
 * ```
 */
export function selectCertificate(store: CertificateStore, selector: StoreSelector): StoreEntry {
  let wanted: string;
  let matches: StoreEntry[];
  if (selector.thumbprint !== undefined) {
    const [t] = parseThumbprints(selector.thumbprint);
    wanted = `thumbprint ${t}`;
    matches = store.entries.filter((e) => e.info.sha1 === t || e.info.sha256 === t);
  } else {
    const cn = selector.subject ?? Deno.hostname();
    wanted = `subject CN=${cn}${selector.subject === undefined ? " (the host name)" : ""}`;
    matches = store.entries.filter((e) => e.subjectCn?.toLowerCase() === cn.toLowerCase());
  }
  const listing = () =>
    store.entries.length
      ? `it holds: ${
        store.entries.map((e) => `${e.source} (${e.info.subject}, SHA-1 ${e.info.sha1})`).join("; ")
      }`
      : `it holds no certificate with a private key${
        store.skipped.length ? ` (skipped: ${store.skipped.join("; ")})` : ""
      }`;
  if (matches.length !== 1) {
    throw new InputError({
      message: `certificate store ${store.dir}: ${
        matches.length ? `${matches.length} certificates match` : "no certificate matches"
      } ${wanted}`,
      hint: matches.length
        ? `select one by thumbprint: ${
          matches.map((e) => `${e.info.sha1} (${e.source})`).join(", ")
        }`
        : listing(),
    });
  }
  const entry = matches[0];
  assertKeyMatches(entry.certPem, entry.keyPem, `${store.dir}/${entry.source}`);
  return entry;
}

/**
 * Throws an {@linkcode InputError} when `keyPem` is not the private key of
 * `certPem` (a local configuration fault the SDK calls a bad key pair).
 *
 * @example
 * ```ts
 * assertKeyMatches(certPem, keyPem, "server.crt + server.key");
 * ```
 */
export function assertKeyMatches(certPem: string, keyPem: string, where: string): void {
  let ok = false;
  try {
    ok = new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch (e) {
    throw new InputError({
      message: `${where}: cannot read the certificate or key: ${(e as Error).message}`,
      hint: "use PEM files (BEGIN CERTIFICATE / BEGIN PRIVATE KEY)",
    });
  }
  if (!ok) {
    throw new InputError({
      message: `${where}: the private key does not match the certificate`,
      hint: "pair each certificate with the key it was issued for",
    });
  }
}

/** The PEM blocks in a text, each with its BEGIN/END lines. */
export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
}
