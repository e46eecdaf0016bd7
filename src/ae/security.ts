import { X509Certificate } from "node:crypto";
import type { CertificateInfo } from "../outcome/mod.ts";
import { certificateInfo } from "../tls/certificate_info.ts";
import { InputError } from "../yaml/mod.ts";
import { readPkcs12 } from "./_pkcs12.ts";
import { assertKeyMatches, openCertificateStore, selectCertificate, splitPem } from "./store.ts";

/** How a party verifies its peer's certificate (the SDK's VerificationMethod). */
export type VerificationMethod = "none" | "chain" | "thumbprint";

/** The verification methods, in the order help texts list them. */
export const VERIFICATION_METHODS: readonly VerificationMethod[] = ["none", "chain", "thumbprint"];

/** The lowest TLS version a party accepts. rustls speaks only 1.2 and 1.3. */
export type TlsVersion = "1.2" | "1.3";

/**
 * Where the local certificate comes from: PEM files, a PKCS#12 file, or a
 * certificate store folder with a selection by subject CN or thumbprint.
 */
export interface CertificateSource {
  cert?: string;
  key?: string;
  p12?: string;
  /** PKCS#12 password (for `p12` and for `.p12` files in `store`). */
  password?: string;
  /** A folder read with {@linkcode openCertificateStore}. */
  store?: string;
  /** Subject CN to select in `store`; default the host name. */
  subject?: string;
  /** SHA-1 or SHA-256 thumbprint to select in `store`. */
  storeThumbprint?: string;
}

/**
 * The SDK's security context (IDCXSEC), one for the requester (SCU) and one
 * for the acceptor (SCP): the local certificate, how the peer is verified,
 * whether both sides authenticate, and the lowest TLS version.
 *
 * @example
 * ```ts
 * const acceptor: SecurityContext = {
 *   certificate: { store: "pki", subject: "localhost" },
 *   verify: "chain", thumbprints: [], ca: ["pki/root.crt"], mutual: true, tlsMin: "1.2",
 * };
 * ```
 */
export interface SecurityContext {
  /** The local certificate; a requester without mutual authentication may have none. */
  certificate?: CertificateSource;
  verify: VerificationMethod;
  /** Accepted thumbprints (normalized, see {@linkcode parseThumbprints}) for `thumbprint`. */
  thumbprints: string[];
  /** Trust anchor PEM files for `chain`. */
  ca: string[];
  /** Mutual authentication: the acceptor requires a client certificate; the requester presents one. */
  mutual: boolean;
  tlsMin: TlsVersion;
}

/** A loaded local certificate: PEM texts and plain data for logs. */
export interface LocalCertificate {
  certPem: string;
  keyPem: string;
  chainPem: string[];
  info: CertificateInfo;
  /** Where it came from, for messages: a file or "store DIR: NAME". */
  source: string;
}

/**
 * Loads the local certificate a {@linkcode CertificateSource} names, checking
 * that its key matches. Unreadable files, a store without exactly one match,
 * and a key that does not match are {@linkcode InputError}s.
 *
 * @example
 * ```ts
 * const local = await loadLocalCertificate({ store: "out/pki", subject: "localhost" });
 * console.log(local.info.sha1);
 * ```
 */
export async function loadLocalCertificate(source: CertificateSource): Promise<LocalCertificate> {
  if (source.store !== undefined) {
    const store = await openCertificateStore(source.store, { password: source.password });
    const e = selectCertificate(store, {
      subject: source.subject,
      thumbprint: source.storeThumbprint,
    });
    return { ...e, source: `store ${source.store}: ${e.source}` };
  }
  if (source.p12 !== undefined) {
    const bytes = await readFile(source.p12, (f) => Deno.readFile(f));
    let p12;
    try {
      p12 = readPkcs12(bytes, source.password ?? "");
    } catch (e) {
      throw new InputError({
        message: `cannot read PKCS#12 file ${source.p12}: ${(e as Error).message}`,
        hint: "check the file and --password",
      });
    }
    assertKeyMatches(p12.certPem, p12.keyPem, source.p12);
    return { ...p12, info: infoOf(p12.certPem), source: source.p12 };
  }
  if (source.cert === undefined || source.key === undefined) {
    throw new InputError({
      message: "no local certificate: give a certificate and its key, a PKCS#12 file, or a store",
      hint:
        "--cert F --key F, --p12 F [--password P], or --store DIR [--subject CN | --store-thumbprint HEX]",
    });
  }
  const text = await readFile(source.cert, (f) => Deno.readTextFile(f));
  const keyPem = await readFile(source.key, (f) => Deno.readTextFile(f));
  const [certPem, ...chainPem] = splitPem(text);
  if (!certPem) {
    throw new InputError({
      message: `${source.cert} holds no PEM certificate`,
      hint: "give a PEM file (BEGIN CERTIFICATE)",
    });
  }
  assertKeyMatches(certPem, keyPem, `${source.cert} + ${source.key}`);
  return { certPem, keyPem, chainPem, info: infoOf(certPem), source: source.cert };
}

/**
 * Reads trust anchor files (each may hold several PEM certificates).
 *
 * @example
 * ```ts
 * const ca = await loadTrustAnchors(["pki/root.crt"]);
 * ```
 */
export async function loadTrustAnchors(files: readonly string[]): Promise<string[]> {
  const pems: string[] = [];
  for (const f of files) {
    const found = splitPem(await readFile(f, (p) => Deno.readTextFile(p)));
    if (!found.length) {
      throw new InputError({
        message: `${f} holds no PEM certificate`,
        hint: "give CA certificates in PEM",
      });
    }
    pems.push(...found);
  }
  return pems;
}

function infoOf(certPem: string): CertificateInfo {
  return certificateInfo(new Uint8Array(new X509Certificate(certPem).raw));
}

async function readFile<T>(file: string, read: (f: string) => Promise<T>): Promise<T> {
  try {
    return await read(file);
  } catch (e) {
    throw new InputError({
      message: `cannot read ${file}: ${(e as Error).message}`,
      hint: "check the path",
    });
  }
}
