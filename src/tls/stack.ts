import { InputError } from "../yaml/input_error.ts";
import type { TlsCredentials } from "./credentials.ts";
import { RUSTLS_VERSIONS, type TlsVersion, type TlsVersionRange } from "./version.ts";
import { _localContext } from "./_secure_context.ts";

/** The TLS stacks we speak with: Deno's rustls (fast, TLS 1.2/1.3, modern suites) or OpenSSL. */
export type TlsStackName = "rustls" | "openssl";

/**
 * What a party asks of TLS beyond its certificate: the versions, the stack,
 * and (OpenSSL) exactly which suites, groups and signature algorithms.
 */
export interface TlsParameters extends TlsVersionRange {
  /** The TLS stack; chosen by the rest when absent (see {@linkcode chooseTlsStack}). */
  stack?: TlsStackName;
  /**
   * How the user asks for OpenSSL where `stack` was given ("--tls-stack openssl",
   * "tlsStack: openssl"), for hints; default a suite's "tls: { stack: openssl }".
   */
  askOpenssl?: string;
  /** TLS 1.2-and-older suites, IANA or OpenSSL names, in preference order. */
  ciphers?: string[];
  /** TLS 1.3 suites, IANA names. */
  ciphersuites?: string[];
  /** Groups, e.g. ["P-256", "X25519", "ffdhe2048"]. */
  groups?: string[];
  /** Signature algorithms, e.g. ["rsa_pss_rsae_sha256"]. */
  sigalgs?: string[];
}

/** What a conversation asks of the TLS stack. */
export interface TlsStackNeeds {
  /** Asked for explicitly; otherwise chosen by what the rest needs. */
  stack?: TlsStackName;
  /** How the user asks for OpenSSL where `stack` was given (see {@linkcode TlsParameters}). */
  askOpenssl?: string;
  /** Lowest version offered. */
  minVersion?: TlsVersion;
  /** Highest version offered. */
  maxVersion?: TlsVersion;
  /** TLS 1.2-and-older suites, exactly (IANA or OpenSSL names). */
  ciphers?: string[];
  /** TLS 1.3 suites. */
  ciphersuites?: string[];
  /** Groups offered. */
  groups?: string[];
  /** Signature algorithms offered. */
  sigalgs?: string[];
  /** The certificate we present: rustls refuses some keys. */
  credentials?: TlsCredentials;
}

/**
 * The stack a conversation uses and why: rustls unless it needs what only
 * OpenSSL can do (TLS 1.0/1.1, chosen suites, groups or signature
 * algorithms, a key rustls refuses such as RSA under 2048 bits). Asking
 * for rustls with such needs is an `InputError`.
 *
 * @example
 * ```ts
 * import { chooseTlsStack } from "./stack.ts";
 * chooseTlsStack({ maxVersion: "TLSv1" });
 * // { stack: "openssl", reason: "rustls does not speak TLSv1" }
 * ```
 */
export function chooseTlsStack(needs: TlsStackNeeds): { stack: TlsStackName; reason?: string } {
  const reason = opensslNeeded(needs);
  if (needs.stack === "rustls" && reason) {
    throw new InputError({
      message: `the rustls stack cannot do what is asked: ${reason}`,
      hint: `use ${
        needs.askOpenssl ?? "tls: { stack: openssl }"
      }, or leave the stack out to have it chosen`,
    });
  }
  if (needs.stack) return { stack: needs.stack };
  return reason ? { stack: "openssl", reason } : { stack: "rustls" };
}

function opensslNeeded(n: TlsStackNeeds): string | undefined {
  for (const v of [n.minVersion, n.maxVersion]) {
    if (v && !RUSTLS_VERSIONS.includes(v)) return `rustls does not speak ${v}`;
  }
  if (n.ciphers?.length || n.ciphersuites?.length) {
    return "rustls cannot choose the suites it offers";
  }
  if (n.groups?.length || n.sigalgs?.length) {
    return "rustls cannot choose its groups or signature algorithms";
  }
  if (n.credentials) {
    try {
      _localContext(n.credentials, n);
    } catch (e) {
      return `rustls refuses our certificate (${(e as InputError).detail ?? (e as Error).message})`;
    }
  }
  return undefined;
}

/**
 * The connect options of TLS parameters (`min`/`max` as `minVersion`/`maxVersion`).
 *
 * @example
 * ```ts
 * import { tlsChoice } from "./stack.ts";
 * tlsChoice({ max: "TLSv1", ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA"] });
 * // { maxVersion: "TLSv1", ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA"] }
 * ```
 */
export function tlsChoice(p: TlsParameters): Omit<TlsStackNeeds, "credentials"> {
  const { min, max, ...rest } = p;
  return {
    ...(min ? { minVersion: min } : {}),
    ...(max ? { maxVersion: max } : {}),
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  };
}

/**
 * The highest version to offer: as asked, or TLS 1.2 when only TLS
 * 1.2-and-older suites are named (offering them "alone" leaves TLS 1.3 out,
 * whose suites are separate).
 *
 * @example
 * ```ts
 * import { offeredMax } from "./stack.ts";
 * offeredMax({ ciphers: ["TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"] }); // "TLSv1.2"
 * ```
 */
export function offeredMax(
  o: { maxVersion?: TlsVersion; ciphers?: string[]; ciphersuites?: string[] },
): TlsVersion | undefined {
  if (o.maxVersion) return o.maxVersion;
  return o.ciphers?.length && !o.ciphersuites?.length ? "TLSv1.2" : undefined;
}

/**
 * The lowest version to offer: as asked, or the highest asked when that is
 * below TLS 1.2 (`max: TLSv1` offers TLS 1.0 alone, not OpenSSL's default
 * floor above it).
 *
 * @example
 * ```ts
 * import { offeredMin } from "./stack.ts";
 * offeredMin({ maxVersion: "TLSv1.1" }); // "TLSv1.1"
 * ```
 */
export function offeredMin(
  o: { minVersion?: TlsVersion; maxVersion?: TlsVersion },
): TlsVersion | undefined {
  if (o.minVersion) return o.minVersion;
  return o.maxVersion && !RUSTLS_VERSIONS.includes(o.maxVersion) ? o.maxVersion : undefined;
}

/**
 * What the OpenSSL stack is asked for, from the choices of a conversation:
 * the versions as offered (see {@linkcode offeredMin}, {@linkcode offeredMax})
 * and exactly the suites, groups and signature algorithms named.
 *
 * @example
 * ```ts
 * import { opensslChoice } from "./stack.ts";
 * opensslChoice({ maxVersion: "TLSv1" }); // { minVersion: "TLSv1", maxVersion: "TLSv1", ... }
 * ```
 */
export function opensslChoice(
  o: Omit<TlsStackNeeds, "stack" | "credentials">,
): Omit<TlsStackNeeds, "stack" | "credentials"> {
  return {
    minVersion: offeredMin(o),
    maxVersion: offeredMax(o),
    ciphers: o.ciphers,
    ciphersuites: o.ciphersuites,
    groups: o.groups,
    sigalgs: o.sigalgs,
  };
}
