import { X509Certificate } from "node:crypto";
import { loadCredentials, type TlsCredentials, type VerificationPolicy } from "../tls/mod.ts";
import { InputError } from "../yaml/mod.ts";
import { openCertificateStore, selectCertificate } from "./certificate_store.ts";

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

/**
 * Loads the local certificate a {@linkcode CertificateSource} names, checking
 * that its key matches. Unreadable files, a store without exactly one match,
 * and a key that does not match are {@linkcode InputError}s.
 *
 * @example
 * ```ts
 * const local = await loadLocalCertificate({ store: "out/pki", subject: "localhost" });
 * console.log(local.certificate.sha1);
 * ```
 */
export async function loadLocalCertificate(source: CertificateSource): Promise<TlsCredentials> {
  if (source.store !== undefined) {
    const store = await openCertificateStore(source.store, { password: source.password });
    return selectCertificate(store, {
      subject: source.subject,
      thumbprint: source.storeThumbprint,
    });
  }
  if (source.p12 !== undefined) {
    return loadCredentials({ p12: source.p12, password: source.password });
  }
  if (source.cert === undefined || source.key === undefined) {
    throw new InputError({
      message: "no local certificate: give a certificate and its key, a PKCS#12 file, or a store",
      hint:
        "--cert F --key F, --p12 F [--password P], or --store DIR [--subject CN | --store-thumbprint HEX]",
    });
  }
  return loadCredentials({ cert: source.cert, key: source.key, password: source.password });
}

/** Trust anchors as `node:tls` takes them (PEM) and as our verifier does (DER). */
export interface TrustAnchors {
  pem: string[];
  der: Uint8Array[];
}

/**
 * Reads trust anchor files (each may hold several PEM certificates).
 *
 * @example
 * ```ts
 * const anchors = await loadTrustAnchors(["pki/root.crt"]);
 * ```
 */
export async function loadTrustAnchors(files: readonly string[]): Promise<TrustAnchors> {
  const anchors: TrustAnchors = { pem: [], der: [] };
  for (const file of files) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (e) {
      throw new InputError({
        message: `cannot read ${file}: ${(e as Error).message}`,
        hint: "check the --ca path",
      });
    }
    const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (!pems.length) {
      throw new InputError({
        message: `${file} holds no PEM certificate`,
        hint: "give CA certificates in PEM",
      });
    }
    for (const pem of pems) {
      anchors.pem.push(pem);
      anchors.der.push(new Uint8Array(new X509Certificate(pem).raw));
    }
  }
  return anchors;
}

/**
 * The verification policy of a security context for `verifyPeer`.
 *
 * @example
 * ```ts
 * const policy = verificationPolicy(context, anchors);
 * ```
 */
export function verificationPolicy(
  context: SecurityContext,
  anchors: TrustAnchors,
): VerificationPolicy {
  if (context.verify === "chain") return { method: "chain", anchors: anchors.der };
  if (context.verify === "thumbprint") {
    return { method: "thumbprint", thumbprints: context.thumbprints };
  }
  return { method: "none" };
}
