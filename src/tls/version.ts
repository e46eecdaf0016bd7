/**
 * A TLS protocol version, named as `node:tls` names it (`getProtocol()`,
 * `minVersion`). The one version type of the tree: scenarios, AE configs and
 * flags write `1.2`, `TLSv1.2` or `tls1.2`, and {@linkcode parseTlsVersion}
 * turns each into this.
 */
export type TlsVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

/** Every {@linkcode TlsVersion}, oldest first. */
export const TLS_VERSIONS: readonly TlsVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

/** The versions Deno's TLS stack (rustls) can speak. */
export const RUSTLS_VERSIONS: readonly TlsVersion[] = ["TLSv1.2", "TLSv1.3"];

/** The lowest and highest version a party offers or accepts; absent ends are open. */
export interface TlsVersionRange {
  /** Lowest version allowed. */
  min?: TlsVersion;
  /** Highest version allowed. */
  max?: TlsVersion;
}

/**
 * Reads a version as users write it: `1.2`, `TLSv1.2`, `tls1.2`, `TLS 1.2`,
 * `1`, `1.0`; undefined when it is none of them.
 *
 * @example
 * ```ts
 * import { parseTlsVersion } from "./version.ts";
 * parseTlsVersion("1.0"); // "TLSv1"
 * parseTlsVersion(1.3); // "TLSv1.3"
 * ```
 */
export function parseTlsVersion(text: string | number): TlsVersion | undefined {
  const v = String(text).trim().replace(/^tls\s*v?/i, "");
  if (v === "1" || v === "1.0") return "TLSv1";
  const found = TLS_VERSIONS.find((name) => name === `TLSv${v}`);
  return found;
}

/**
 * Orders two versions: negative when `a` is older than `b`.
 *
 * @example
 * ```ts
 * import { compareTlsVersions } from "./version.ts";
 * compareTlsVersions("TLSv1", "TLSv1.2") < 0; // true
 * ```
 */
export function compareTlsVersions(a: TlsVersion, b: TlsVersion): number {
  return TLS_VERSIONS.indexOf(a) - TLS_VERSIONS.indexOf(b);
}
