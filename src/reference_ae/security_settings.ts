import {
  type CertificateFields,
  certificateSourceOf,
  SecurityProblem,
  type SecuritySettings,
  type VerificationMethod,
} from "../security/mod.ts";
import { parseThumbprints } from "../tls/thumbprint.ts";
import { parseTlsVersion } from "../tls/version.ts";

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
}

/**
 * Security settings from the flat keys of an AE config's `security:` (also
 * what the `serve`/`echo`/`store` flags give); only the keys given.
 * Problems are {@linkcode SecurityProblem}s naming the key.
 *
 * @example
 * ```ts
 * import { securitySettingsOf } from "./security_settings.ts";
 * securitySettingsOf({ verify: "chain", ca: ["root.crt"], tlsMin: "1.3" });
 * ```
 */
export function securitySettingsOf(s: RawSecurity): SecuritySettings {
  const version = (key: "tlsMin" | "tlsMax") => {
    const value = s[key];
    if (value === undefined) return undefined;
    const v = parseTlsVersion(value);
    if (!v) {
      throw new SecurityProblem(key, `'${value}' is not a TLS version`, "e.g. 1.2 or 1.3");
    }
    return v;
  };
  const settings: SecuritySettings = {
    certificate: certificateSourceOf(s),
    verify: s.verify,
    thumbprints: s.thumbprints === undefined ? undefined : parseThumbprints(s.thumbprints),
    ca: s.ca === undefined ? undefined : typeof s.ca === "string" ? [s.ca] : s.ca,
    mutual: s.mutual,
    checkHostname: s.checkHostname,
    tls: { min: version("tlsMin"), max: version("tlsMax") },
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}
