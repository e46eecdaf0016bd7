import {
  SecurityProblem,
  type SecuritySettings,
  VERIFICATION_METHODS,
} from "../security/context.ts";
import { terminalSafe } from "../text/terminal.ts";
import { InputError } from "../yaml/input_error.ts";
import type { TlsStackName } from "../tls/stack.ts";
import { choiceFlag, type FlagSpec } from "./command.ts";

const TLS_STACKS: readonly TlsStackName[] = ["rustls", "openssl"];

/**
 * The security context flags shared by `serve`, `echo` and `store`: the
 * local certificate (PEM, PKCS#12, or a store by subject or thumbprint), how
 * the peer is verified, mutual authentication, the TLS versions. They
 * resolve through the same code as an AE config's `security:` keys.
 */
export const SECURITY_FLAGS = {
  cert: { type: "string" },
  key: { type: "string" },
  p12: { type: "string" },
  password: { type: "string" },
  store: { type: "string" },
  subject: { type: "string" },
  "store-thumbprint": { type: "string" },
  ca: { type: "string", multiple: true },
  verify: { type: "string" },
  thumbprint: { type: "string", multiple: true },
  mutual: { type: "string" },
  "tls-min": { type: "string" },
  "tls-max": { type: "string" },
  "tls-versions": { type: "string" },
  "tls-stack": { type: "string" },
  ciphers: { type: "string" },
  ciphersuites: { type: "string" },
  groups: { type: "string" },
  sigalgs: { type: "string" },
} as const satisfies FlagSpec;

/** Help text lines for {@linkcode SECURITY_FLAGS}. */
export const SECURITY_USAGE = `security context (the model of common DICOM SDKs):
  --cert F --key F               our certificate (PEM; F may hold the chain) and key
  --p12 F [--password P]         or a PKCS#12 file
  --store DIR                    or a certificate store folder (NAME.crt + NAME.key, NAME.p12)
    --subject CN                 select by subject CN (default: the host name)
    --store-thumbprint HEX       or by SHA-1/SHA-256 thumbprint
  --verify none|chain|thumbprint how the peer certificate is verified
  --ca F ...                     trust anchors for chain (PEM or DER files)
  --thumbprint HEX ...           accepted thumbprints ("A;B" also works)
  --mutual true|false            mutual authentication
  --tls-min V / --tls-max V      lowest / highest TLS version (1.0, 1.1, 1.2, 1.3)
  --tls-versions 1.0,1.1         exactly these versions (a contiguous range)
  --tls-stack rustls|openssl     the TLS stack (default rustls, OpenSSL when the rest needs it:
                                 TLS 1.0/1.1, chosen suites, groups, sigalgs, weak keys)
  --ciphers A,B                  TLS 1.2-and-older suites, exactly (IANA or OpenSSL names)
  --ciphersuites A,B             TLS 1.3 suites, e.g. TLS_AES_128_GCM_SHA256
  --groups A,B                   groups, e.g. P-256,X25519,ffdhe2048
  --sigalgs A,B                  signature algorithms, e.g. rsa_pss_rsae_sha256,ECDSA+SHA1`;

/** The flag that sets each security key, for messages. */
const FLAG_OF: Record<string, string> = {
  certificate: "--cert/--key, --p12 or --store",
  storeThumbprint: "--store-thumbprint",
  thumbprints: "--thumbprint",
  tlsMin: "--tls-min",
  tlsMax: "--tls-max",
  tlsVersions: "--tls-versions",
  tlsStack: "--tls-stack",
  tls: "--tls-min/--tls-max",
  checkHostname: "--check-hostname",
};

/**
 * The flag spelling of a security key, for a {@linkcode SecurityProblem}.
 *
 * @example
 * ```ts
 * import { flagOf } from "./_security_flags.ts";
 * flagOf("storeThumbprint"); // "--store-thumbprint"
 * ```
 */
export function flagOf(key: string): string {
  return FLAG_OF[key] ?? `--${key}`;
}

/**
 * A {@linkcode SecurityProblem} as a command-line error naming the flag.
 *
 * @example
 * ```ts
 * import { flagProblem } from "./_security_flags.ts";
 * import { SecurityProblem } from "../security/mod.ts";
 * flagProblem(new SecurityProblem("ca", "chain verification with no trust anchor", "add --ca"));
 * ```
 */
export function flagProblem(e: SecurityProblem): InputError {
  return new InputError({ message: `${flagOf(e.key)}: ${e.message}`, hint: e.hint });
}

type Values =
  & {
    [K in keyof typeof SECURITY_FLAGS]?: (typeof SECURITY_FLAGS)[K] extends { multiple: true }
      ? string[]
      : string;
  }
  & { "check-hostname"?: boolean };

/**
 * The security settings the flags give (only those given), for
 * `resolveAeConfig` or `resolveSecurityContext`. Bad values are
 * {@linkcode InputError}s naming the flag. The settings reader loads here,
 * not with the flags: a command line refused before costs no TLS module.
 *
 * @example
 * ```ts
 * import { SECURITY_FLAGS, securityFromFlags } from "./_security_flags.ts";
 * import { parseFlags } from "./command.ts";
 * const { values } = parseFlags("serve", ["--verify", "none"], { ...SECURITY_FLAGS });
 * await securityFromFlags(values); // { verify: "none", tls: {} }
 * ```
 */
export async function securityFromFlags(values: Values): Promise<SecuritySettings> {
  const { securitySettingsOf } = await import("../reference_ae/security_settings.ts");
  try {
    return securitySettingsOf({
      cert: values.cert,
      key: values.key,
      p12: values.p12,
      password: values.password,
      store: values.store,
      subject: values.subject,
      storeThumbprint: values["store-thumbprint"],
      verify: values.verify === undefined
        ? undefined
        : choiceFlag("--verify", values.verify, VERIFICATION_METHODS, "chain --ca root.crt"),
      thumbprints: values.thumbprint,
      ca: values.ca,
      mutual: values.mutual === undefined ? undefined : booleanFlag("--mutual", values.mutual),
      checkHostname: values["check-hostname"],
      tlsMin: values["tls-min"],
      tlsMax: values["tls-max"],
      tlsVersions: values["tls-versions"],
      tlsStack: values["tls-stack"] === undefined
        ? undefined
        : choiceFlag("--tls-stack", values["tls-stack"], TLS_STACKS, "openssl"),
      ciphers: values.ciphers,
      ciphersuites: values.ciphersuites,
      groups: values.groups,
      sigalgs: values.sigalgs,
    }, { spell: flagOf });
  } catch (e) {
    throw e instanceof SecurityProblem ? flagProblem(e) : e;
  }
}

/**
 * `--password` with nothing it opens (no `--p12`, no `--store`) was ignored
 * unseen: the certificate meant to go with it was left out, or a PEM key
 * given, and the run went on without it. An {@linkcode InputError}; for the
 * commands without a config file that could hold the PKCS#12 file.
 *
 * @example
 * ```ts
 * import { checkPasswordUse } from "./_security_flags.ts";
 * checkPasswordUse({ p12: "client.p12", password: "secret" }); // fine
 * ```
 */
export function checkPasswordUse(values: { password?: string; p12?: string; store?: string }) {
  if (values.password === undefined || values.p12 !== undefined || values.store !== undefined) {
    return;
  }
  throw new InputError({
    message: "--password opens a PKCS#12 file, and no --p12 (or --store) is given",
    hint: "add --p12 FILE, or leave --password out (PEM keys from dicomtls pki are not encrypted)",
  });
}

/**
 * A true/false flag value (also yes/no, on/off, 1/0).
 *
 * @example
 * ```ts
 * import { booleanFlag } from "./_security_flags.ts";
 * booleanFlag("--mutual", "false"); // false
 * ```
 */
export function booleanFlag(flag: string, value: string): boolean {
  const v = value.toLowerCase();
  if (["true", "yes", "on", "1"].includes(v)) return true;
  if (["false", "no", "off", "0"].includes(v)) return false;
  throw new InputError({
    message: `${flag} must be true or false, not '${terminalSafe(value)}'`,
    hint: `e.g. ${flag} false`,
  });
}
