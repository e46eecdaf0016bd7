import type { TlsCredentials, TlsParameters, VerificationPolicy } from "../tls/mod.ts";
import type { CertificateSource, SecurityContext, SecurityRole } from "./context.ts";
import { loadLocalCertificate } from "./local_certificate.ts";
import { loadTrustAnchors, type TrustAnchors } from "./trust_anchors.ts";

/** A security context as the TLS layer takes it: files loaded, the policy built. */
export interface TlsSettings {
  /** The certificate we present; absent when we present none. */
  credentials?: TlsCredentials;
  /** How our verifier judges the peer's certificate. */
  policy: VerificationPolicy;
  /** Acceptor: ask the client for a certificate (mutual authentication). */
  requestCert: boolean;
  /**
   * Acceptor with mutual authentication by chain: the anchors (DER) the TLS
   * stack itself checks, so that an untrusted client is refused inside the
   * handshake.
   */
  handshakeAnchors?: Uint8Array[];
  /** The TLS versions to allow. */
  /** Versions, stack, suites, groups, signature algorithms. */
  tls: TlsParameters;
}

/**
 * What a chain of trust must be at least (BCP 195, RFC 9325 4.2: RSA keys
 * of 2048 bits, SHA-256 signatures): weaker certificates are refused with
 * the reasons weak-key and weak-hash.
 */
export const CHAIN_FLOOR = { minRsaBits: 2048, minHash: "sha256" } as const;

/**
 * Turns security contexts into {@linkcode TlsSettings}, reading each
 * certificate and trust anchor set once: a 2,000-case suite uses a handful
 * of certificates, not 2,000 copies.
 *
 * @example
 * ```ts
 * import { SecurityLoader } from "./tls_settings.ts";
 * import type { SecurityContext } from "./context.ts";
 * declare const context: SecurityContext;
 * const loader = new SecurityLoader();
 * const settings = await loader.tlsSettings(context, { role: "requestor" });
 * settings.policy.method;
 * ```
 */
export class SecurityLoader {
  #credentials = new Map<string, Promise<TlsCredentials | undefined>>();
  #anchors = new Map<string, Promise<TrustAnchors>>();

  /** The TLS settings of a context for one role. Unreadable files are `InputError`s. */
  async tlsSettings(
    context: SecurityContext,
    options: { role: SecurityRole },
  ): Promise<TlsSettings> {
    const acceptor = options.role === "acceptor";
    // A requester without mutual authentication keeps its certificate to itself.
    const present = acceptor || context.mutual;
    const verifies = !acceptor || context.mutual;
    const anchors = verifies && context.verify === "chain"
      ? await this.anchors(context.ca)
      : { pem: [], der: [] };
    const { checkHostname } = context;
    const policy: VerificationPolicy = !verifies || context.verify === "none"
      ? { method: "none", checkHostname }
      : context.verify === "chain"
      ? { method: "chain", anchors: anchors.der, checkHostname, ...CHAIN_FLOOR }
      : { method: "thumbprint", thumbprints: context.thumbprints, checkHostname };
    return {
      ...(present ? defined({ credentials: await this.credentials(context.certificate) }) : {}),
      policy,
      requestCert: acceptor && context.mutual,
      ...(acceptor && context.mutual && context.verify === "chain"
        ? { handshakeAnchors: anchors.der }
        : {}),
      tls: context.tls,
    };
  }

  /** The credentials of a certificate source, loaded once. */
  credentials(source: CertificateSource): Promise<TlsCredentials | undefined> {
    const key = JSON.stringify(source);
    let loaded = this.#credentials.get(key);
    if (!loaded) this.#credentials.set(key, loaded = loadLocalCertificate(source));
    return loaded;
  }

  /** The trust anchors of a set of files, loaded once. */
  anchors(files: readonly string[]): Promise<TrustAnchors> {
    const key = files.join("\n");
    let loaded = this.#anchors.get(key);
    if (!loaded) this.#anchors.set(key, loaded = loadTrustAnchors(files));
    return loaded;
  }
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
