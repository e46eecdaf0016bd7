// The two files, not security/mod.ts: the flags' settings load without the TLS modules.
import { type CertificateFields, certificateSourceOf } from "../security/certificate_source.ts";
import {
  SecurityProblem,
  type SecuritySettings,
  type VerificationMethod,
} from "../security/context.ts";
import { parseThumbprints } from "../tls/thumbprint.ts";
import { compareTlsVersions, parseTlsVersion } from "../tls/version.ts";
import type { TlsParameters } from "../tls/stack.ts";
import { type TlsNameList, tlsNameList, tlsNameProblem } from "../tls/openssl/names.ts";

/**
 * The `security:` mapping of an AE config file as written (also what the
 * security flags give): the certificate source fields sit beside the rest.
 */
export interface RawSecurity extends CertificateFields {
  /** How the client's certificate is verified. */
  verify?: VerificationMethod;
  /** Accepted thumbprints: a list, or one "A;B" string. */
  thumbprints?: string | string[];
  /** Trust anchor PEM files, for `chain`: one or a list. */
  ca?: string | string[];
  /** Mutual authentication: ask for the client's certificate. */
  mutual?: boolean;
  /** Also check the peer's host name or address against its certificate. */
  checkHostname?: boolean;
  /** Lowest TLS version, e.g. "1.2", 1.3 or "TLSv1.2". */
  tlsMin?: string | number;
  /** Highest TLS version, in the same forms. */
  tlsMax?: string | number;
  /** The versions, exactly: "1.0,1.1" or a list (a contiguous range). */
  tlsVersions?: string | (string | number)[];
  /** The TLS stack: rustls, or OpenSSL (chosen without asking when the rest needs it). */
  tlsStack?: "rustls" | "openssl";
  /** TLS 1.2-and-older suites (IANA or OpenSSL names): "A,B" or a list. */
  ciphers?: string | string[];
  /** TLS 1.3 suites. */
  ciphersuites?: string | string[];
  /** Groups, e.g. "P-256,X25519,ffdhe2048". */
  groups?: string | string[];
  /** Signature algorithms. */
  sigalgs?: string | string[];
}

/**
 * Security settings from the flat keys of an AE config's `security:` (also
 * what the `serve`/`echo`/`store` flags give); only the keys given.
 * Problems are {@linkcode SecurityProblem}s naming the key (and the list
 * entry); `options.spell` spells the keys their hints name ("--ciphersuites").
 *
 * @example
 * ```ts
 * import { securitySettingsOf } from "./security_settings.ts";
 * securitySettingsOf({ verify: "chain", ca: ["root.crt"], tlsMin: "1.3" });
 * ```
 */
export function securitySettingsOf(
  s: RawSecurity,
  options: { spell?: (key: string) => string } = {},
): SecuritySettings {
  const version = (key: string, value: string | number) => {
    const v = parseTlsVersion(value);
    if (!v) throw new SecurityProblem(key, `'${value}' is not a TLS version`, "e.g. 1.2 or 1.3");
    return v;
  };
  // Suites, groups and signature algorithms: checked here, before anything connects.
  const list = (key: TlsNameList) => {
    const v = s[key];
    if (v === undefined) return undefined;
    const names = tlsNameList(v);
    const problem = tlsNameProblem(key, names, options);
    if (problem) throw new SecurityProblem(key, problem.message, problem.hint, problem.index);
    return names;
  };
  const versions = (typeof s.tlsVersions === "string" ? s.tlsVersions.split(",") : s.tlsVersions)
    ?.map((v) => version("tlsVersions", v)).sort(compareTlsVersions);
  const tls: TlsParameters = {
    min: versions?.[0] ?? (s.tlsMin === undefined ? undefined : version("tlsMin", s.tlsMin)),
    max: versions?.at(-1) ?? (s.tlsMax === undefined ? undefined : version("tlsMax", s.tlsMax)),
    stack: s.tlsStack,
    askOpenssl: s.tlsStack &&
      (options.spell ? `${options.spell("tlsStack")} openssl` : "tlsStack: openssl in security:"),
    ciphers: list("ciphers"),
    ciphersuites: list("ciphersuites"),
    groups: list("groups"),
    sigalgs: list("sigalgs"),
  };
  const settings: SecuritySettings = {
    certificate: certificateSourceOf(s),
    verify: s.verify,
    thumbprints: s.thumbprints === undefined ? undefined : parseThumbprints(s.thumbprints),
    ca: s.ca === undefined ? undefined : typeof s.ca === "string" ? [s.ca] : s.ca,
    mutual: s.mutual,
    checkHostname: s.checkHostname,
    tls: Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined)),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}
