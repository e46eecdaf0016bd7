import { dirname, isAbsolute, join } from "node:path";
import { readYamlFile, validateSchema } from "../yaml/mod.ts";
import type { YamlSource } from "../yaml/mod.ts";
import { InputError } from "../yaml/mod.ts";
import schema from "../../schemas/ae.schema.json" with { type: "json" };
import {
  type CertificateFields,
  certificateSourceOf,
  resolveSecurityContext,
  type SecurityContext,
  SecurityProblem,
  type SecuritySettings,
  type VerificationMethod,
} from "../security/mod.ts";
import { parseThumbprints } from "../tls/thumbprint.ts";
import { parseTlsVersion } from "../tls/version.ts";

/**
 * Everything the reference AE needs to run: listener, AE policy, storage,
 * limits and the acceptor security context.
 */
export interface AeConfig {
  /** Own (called) AE title. */
  ae: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Accepted calling AE titles; empty accepts any. */
  acceptCalling: string[];
  /** Folder for received datasets; without it C-STORE is refused. */
  storage?: string;
  maxAssociations: number;
  associationTimeoutMs: number;
  idleTimeoutMs: number;
  maxPduLength: number;
  security: SecurityContext;
}

/** An AE configuration as a file or the flags give it: every field optional. */
export type AeSettings = Partial<Omit<AeConfig, "security">> & { security?: SecuritySettings };

/** Defaults for what neither the file nor the flags say (the security defaults are the acceptor's). */
export const AE_DEFAULTS: Omit<AeConfig, "security"> = {
  ae: "DICOMTLS",
  host: "127.0.0.1",
  // The port PS3.15 Annex B registers for DICOM over TLS.
  port: 2762,
  acceptCalling: [],
  maxAssociations: 64,
  associationTimeoutMs: 60_000,
  idleTimeoutMs: 15_000,
  maxPduLength: 65_536,
};

/**
 * Reads an AE config YAML file (schemas/ae.schema.json): every problem is an
 * {@linkcode InputError} at file:line:column. Relative paths in it are
 * resolved from the file's folder.
 *
 * @example
 * ```ts
 * const settings = await loadAeConfig("fixtures/ae/chain.yaml");
 * const config = resolveAeConfig(settings);
 * ```
 */
export async function loadAeConfig(file: string): Promise<AeSettings> {
  const source = await readYamlFile(file);
  if (source.value === null || source.value === undefined) {
    throw source.error(
      [],
      "the AE config is empty",
      "give at least 'ae:' and a 'security:' mapping",
    );
  }
  validateSchema(source, schema);
  return aeSettingsFrom(source);
}

// The security mapping as written: the certificate source fields sit beside the rest.
interface RawSecurity extends CertificateFields {
  verify?: VerificationMethod;
  thumbprints?: string | string[];
  ca?: string | string[];
  mutual?: boolean;
  checkHostname?: boolean;
  tlsMin?: string | number;
  tlsMax?: string | number;
}

/**
 * The AE settings of a validated AE config document (a file, or the
 * `reference:` of a scenario's SUT via `subSource`); relative paths resolve
 * from the file's folder.
 *
 * @example
 * ```ts
 * import { aeSettingsFrom } from "./config.ts";
 * import { parseYaml } from "../yaml/mod.ts";
 * const settings = aeSettingsFrom(parseYaml("ae: PACS\n", "/cfg/ae.yaml"));
 * ```
 */
export function aeSettingsFrom(source: YamlSource): AeSettings {
  const raw = source.value as Omit<AeSettings, "security"> & { security?: RawSecurity };
  const base = dirname(source.file);
  const path = (p: string | undefined) => p === undefined || isAbsolute(p) ? p : join(base, p);
  const { security: s, ...rest } = raw;
  const settings: AeSettings = { ...rest, storage: path(raw.storage) };
  if (settings.storage === undefined) delete settings.storage;
  if (!s) return settings;
  try {
    settings.security = securitySettingsOf({
      ...s,
      cert: path(s.cert),
      key: path(s.key),
      p12: path(s.p12),
      store: path(s.store),
      ca: s.ca === undefined ? undefined : (typeof s.ca === "string" ? [s.ca] : s.ca).map(path),
    } as RawSecurity);
  } catch (e) {
    if (e instanceof SecurityProblem) throw source.error(["security", e.key], e.message, e.hint);
    if (e instanceof InputError) throw source.error(["security", "thumbprints"], e.detail, e.hint);
    throw e;
  }
  return settings;
}

/**
 * Security settings from the flat keys of an AE config's `security:` (also
 * what the `serve`/`echo`/`store` flags give); only the keys given.
 * Problems are {@linkcode SecurityProblem}s naming the key.
 *
 * @example
 * ```ts
 * import { securitySettingsOf } from "./config.ts";
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

/**
 * Merges settings (later ones win: file, then flags) over
 * {@linkcode AE_DEFAULTS} and checks that the result can run: exactly one
 * certificate source, trust anchors for `chain`, thumbprints for
 * `thumbprint`. Problems are {@linkcode InputError}s.
 *
 * @example
 * ```ts
 * const config = resolveAeConfig(await loadAeConfig("ae.yaml"), { port: 0 });
 * ```
 */
export function resolveAeConfig(...layers: AeSettings[]): AeConfig {
  let config: Omit<AeConfig, "security"> = { ...AE_DEFAULTS };
  const security: SecuritySettings[] = [];
  for (const { security: s, ...rest } of layers) {
    config = { ...config, ...defined(rest) };
    if (s) security.push(s);
  }
  try {
    return { ...config, security: resolveSecurityContext(security, { role: "acceptor" }) };
  } catch (e) {
    if (!(e instanceof SecurityProblem)) throw e;
    if (e.key === "certificate") {
      throw new InputError({
        message: "the reference AE needs its own certificate",
        hint:
          "set security.cert + key, p12 or store in the config, or --cert/--key, --p12 or --store",
      });
    }
    throw new InputError({ message: `AE config: security.${e.key}: ${e.message}`, hint: e.hint });
  }
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
