import type { AeSettings } from "../reference_ae/config.ts";
import { type TlsVersion, VERIFICATION_METHODS, type VerificationMethod } from "../security/mod.ts";
import { parseThumbprints } from "../tls/mod.ts";
import { closest, InputError } from "../yaml/mod.ts";
import type { FlagSpec } from "./command.ts";

/**
 * The security context flags shared by `serve`, `echo` and `store`: the
 * local certificate (PEM, PKCS#12, or a store by subject or thumbprint), how
 * the peer is verified, mutual authentication, the lowest TLS version.
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
} as const satisfies FlagSpec;

/** Help text lines for {@linkcode SECURITY_FLAGS}. */
export const SECURITY_USAGE = `security context (as the SDK's IDCXSEC):
  --cert F --key F               our certificate (PEM; F may hold the chain) and key
  --p12 F [--password P]         or a PKCS#12 file
  --store DIR                    or a certificate store folder (NAME.crt + NAME.key, NAME.p12)
    --subject CN                 select by subject CN (default: the host name)
    --store-thumbprint HEX       or by SHA-1/SHA-256 thumbprint
  --verify none|chain|thumbprint how the peer certificate is verified
  --ca F ...                     trust anchors for chain
  --thumbprint HEX ...           accepted thumbprints ("A;B" also works)
  --mutual true|false            mutual authentication
  --tls-min 1.2|1.3              lowest TLS version`;

type Values = {
  [K in keyof typeof SECURITY_FLAGS]?: (typeof SECURITY_FLAGS)[K] extends { multiple: true }
    ? string[]
    : string;
};

/**
 * The security settings the flags give (only those given), for
 * `resolveAeConfig` or an SCU. Bad values are {@linkcode InputError}s.
 *
 * @example
 * ```ts
 * const { values } = parseFlags("serve", args, { ...SECURITY_FLAGS });
 * const security = securityFromFlags(values);
 * ```
 */
export function securityFromFlags(values: Values): NonNullable<AeSettings["security"]> {
  const certificateGiven = [values.cert, values.key, values.p12, values.store].some((v) =>
    v !== undefined
  );
  if (
    (values.subject !== undefined || values["store-thumbprint"] !== undefined) &&
    values.store === undefined
  ) {
    throw new InputError({
      message: "--subject and --store-thumbprint select from a store",
      hint: "add --store DIR",
    });
  }
  return {
    ...(certificateGiven || values.password !== undefined
      ? {
        certificate: {
          cert: values.cert,
          key: values.key,
          p12: values.p12,
          password: values.password,
          store: values.store,
          subject: values.subject,
          storeThumbprint: values["store-thumbprint"],
        },
      }
      : {}),
    verify: values.verify === undefined ? undefined : verifyFlag(values.verify),
    thumbprints: values.thumbprint === undefined ? undefined : parseThumbprints(values.thumbprint),
    ca: values.ca,
    mutual: values.mutual === undefined ? undefined : booleanFlag("--mutual", values.mutual),
    tlsMin: values["tls-min"] === undefined
      ? undefined
      : tlsVersionFlag("--tls-min", values["tls-min"]),
  };
}

function verifyFlag(value: string): VerificationMethod {
  if ((VERIFICATION_METHODS as readonly string[]).includes(value)) {
    return value as VerificationMethod;
  }
  const near = closest(value, VERIFICATION_METHODS);
  throw new InputError({
    message: `--verify must be none, chain or thumbprint, not '${value}'`,
    hint: near ? `did you mean '${near}'?` : "e.g. --verify chain --ca root.crt",
  });
}

/**
 * A true/false flag value (also yes/no, on/off, 1/0).
 *
 * @example
 * ```ts
 * booleanFlag("--mutual", "false"); // false
 * ```
 */
export function booleanFlag(flag: string, value: string): boolean {
  const v = value.toLowerCase();
  if (["true", "yes", "on", "1"].includes(v)) return true;
  if (["false", "no", "off", "0"].includes(v)) return false;
  throw new InputError({
    message: `${flag} must be true or false, not '${value}'`,
    hint: `e.g. ${flag} false`,
  });
}

/**
 * A TLS version flag value (`1.2`, `TLSv1.3`, ...); rustls speaks only 1.2
 * and 1.3, so anything else is an {@linkcode InputError}.
 *
 * @example
 * ```ts
 * tlsVersionFlag("--tls-max", "TLSv1.2"); // "1.2"
 * ```
 */
export function tlsVersionFlag(flag: string, value: string): TlsVersion {
  const v = value.replace(/^TLSv?/i, "");
  if (v === "1.2" || v === "1.3") return v;
  throw new InputError({
    message: `${flag} must be 1.2 or 1.3, not '${value}'`,
    hint: "TLS 1.0 and 1.1 are not offered: the TLS stack (rustls) speaks only 1.2 and 1.3",
  });
}
