import type { TlsParameters } from "../tls/stack.ts";
import type { TlsVersion, TlsVersionRange } from "../tls/version.ts";
import { compareTlsVersions } from "../tls/version.ts";

/** How a party verifies its peer's certificate: any, chain of trust, or a thumbprint list. */
export type VerificationMethod = "none" | "chain" | "thumbprint";

/** The verification methods, in the order help texts list them. */
export const VERIFICATION_METHODS: readonly VerificationMethod[] = ["none", "chain", "thumbprint"];

/**
 * Where the local certificate comes from: nowhere (present none), PEM files
 * (the certificate file may hold the chain after it), a PKCS#12 file, or a
 * certificate store folder with a selection by subject CN (default: the host
 * name) or by thumbprint.
 *
 * @example
 * ```ts
 * import type { CertificateSource } from "./context.ts";
 * const fromStore: CertificateSource = { kind: "store", store: "pki", subject: "localhost" };
 * ```
 */
export type CertificateSource =
  | { kind: "none" }
  | {
    kind: "pem";
    cert: string;
    key: string;
    /** Password of an encrypted key. */
    password?: string;
    /** A name for reports, e.g. the PKI entry "client-expired". */
    label?: string;
  }
  | { kind: "p12"; p12: string; password?: string }
  | {
    kind: "store";
    store: string;
    subject?: string;
    /** SHA-1 or SHA-256 thumbprint, normalised. */
    thumbprint?: string;
    /** Password of the store's `.p12` files. */
    password?: string;
  };

/**
 * The security context of one DICOM TLS party (requester or acceptor), in
 * the model common DICOM SDKs use: the local certificate, how the peer's
 * certificate is verified (none, chain of trust to `ca`, or a SHA-1/SHA-256
 * thumbprint list), whether both sides authenticate, whether the peer's host
 * name is checked, and the TLS versions. CLI flags, AE config files and
 * scenario harness keys all resolve to this, through
 * {@linkcode resolveSecurityContext}.
 *
 * @example
 * ```ts
 * import type { SecurityContext } from "./context.ts";
 * const acceptor: SecurityContext = {
 *   certificate: { kind: "store", store: "pki", subject: "localhost" },
 *   verify: "chain", thumbprints: [], ca: ["pki/root.crt"], checkHostname: false,
 *   mutual: true, tls: { min: "TLSv1.2" },
 * };
 * ```
 */
export interface SecurityContext {
  /** Where our own certificate comes from (`none`: present none). */
  certificate: CertificateSource;
  /** How the peer's certificate is verified. */
  verify: VerificationMethod;
  /** Accepted thumbprints, normalised (uppercase hex), for `thumbprint`. */
  thumbprints: string[];
  /** Trust anchor PEM files, for `chain`. */
  ca: string[];
  /** Also check the peer's host name or address against its certificate. */
  checkHostname: boolean;
  /** Acceptor: require a client certificate. Requester: present ours. */
  mutual: boolean;
  /** The TLS versions allowed (bounds left out are the TLS stack's). */
  /** Versions, stack, suites, groups, signature algorithms. */
  tls: TlsParameters;
}

/** A security context as one input gives it (a file, the flags, a scenario layer): any part. */
export type SecuritySettings = Partial<SecurityContext>;

/** The side of the association a context is for (PS3.8 names). */
export type SecurityRole = "requestor" | "acceptor";

/**
 * What a security context cannot be, and which input key says so
 * (`ca`, `thumbprints`, `cert`, `storeThumbprint`, ...), for the caller to
 * locate in its own input: a flag, a YAML line.
 */
export class SecurityProblem extends Error {
  /** The error name, "SecurityProblem". */
  override name = "SecurityProblem";
  /** The key at fault, as the AE config file spells it. */
  readonly key: string;
  /** How to fix it, e.g. "list the CA certificates to trust". */
  readonly hint: string;
  /** The entry at fault when `key` holds a list (0-based). */
  readonly index?: number;
  /** A problem with `key` (its entry `index`), described by `message`, fixed as `hint` says. */
  constructor(key: string, message: string, hint: string, index?: number) {
    super(message);
    this.key = key;
    this.hint = hint;
    if (index !== undefined) this.index = index;
  }
}

const DEFAULTS: Record<SecurityRole, Omit<SecurityContext, "certificate" | "verify">> = {
  acceptor: {
    thumbprints: [],
    ca: [],
    checkHostname: false,
    mutual: true,
    tls: { min: "TLSv1.2" },
  },
  requestor: { thumbprints: [], ca: [], checkHostname: false, mutual: true, tls: {} },
};

/**
 * Merges settings (later layers win; a certificate source replaces the
 * earlier one whole, each TLS bound separately) over the role's defaults and
 * checks that the context can work. Without `verify`, an acceptor verifies
 * by chain; a requester by thumbprint when thumbprints are given, else by
 * chain. An acceptor needs a certificate. Problems are
 * {@linkcode SecurityProblem}s naming the key, for the caller to locate.
 *
 * @example
 * ```ts
 * import { resolveSecurityContext } from "./context.ts";
 * const context = resolveSecurityContext(
 *   [{ ca: ["root.crt"] }, { certificate: { kind: "pem", cert: "c.crt", key: "c.key" } }],
 *   { role: "requestor" },
 * );
 * context.verify; // "chain"
 * ```
 */
export function resolveSecurityContext(
  layers: readonly SecuritySettings[],
  options: { role: SecurityRole },
): SecurityContext {
  let merged: SecuritySettings = {};
  for (const layer of layers) {
    const tls = { ...merged.tls, ...defined(layer.tls ?? {}) };
    merged = { ...merged, ...defined(layer), tls };
  }
  const base = DEFAULTS[options.role];
  const verify = merged.verify ??
    (options.role === "requestor" && merged.thumbprints?.length ? "thumbprint" : "chain");
  const context: SecurityContext = {
    ...base,
    certificate: { kind: "none" },
    ...merged,
    verify,
    tls: { ...base.tls, ...merged.tls },
  };
  checkSecurityContext(context, options.role);
  return context;
}

function checkSecurityContext(c: SecurityContext, role: SecurityRole): void {
  if (role === "acceptor" && c.certificate.kind === "none") {
    throw new SecurityProblem(
      "certificate",
      "an acceptor needs its own certificate",
      "give a certificate and key, a PKCS#12 file, or a certificate store",
    );
  }
  // An acceptor without mutual authentication asks for no certificate: nothing to verify.
  const verifies = role === "requestor" || c.mutual;
  if (verifies && c.verify === "thumbprint" && c.thumbprints.length === 0) {
    throw new SecurityProblem(
      "thumbprints",
      "verification by thumbprint with no accepted thumbprint",
      "list the peers' SHA-1 or SHA-256 thumbprints",
    );
  }
  if (verifies && c.verify === "chain" && c.ca.length === 0) {
    throw new SecurityProblem(
      "ca",
      "chain verification with no trust anchor",
      "list the CA certificates to trust, or verify by thumbprint or none",
    );
  }
  const { min, max } = c.tls;
  if (min && max && compareTlsVersions(min, max) > 0) {
    throw new SecurityProblem("tls", `TLS min ${min} is above TLS max ${max}`, "swap them");
  }
}

/**
 * Whether a TLS version lies in a range.
 *
 * @example
 * ```ts
 * import { inVersionRange } from "./context.ts";
 * inVersionRange("TLSv1", { min: "TLSv1.2" }); // false
 * ```
 */
export function inVersionRange(version: TlsVersion, range: TlsVersionRange): boolean {
  return (!range.min || compareTlsVersions(version, range.min) >= 0) &&
    (!range.max || compareTlsVersions(version, range.max) <= 0);
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
