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
import { compareTlsVersions, parseTlsVersion } from "../tls/version.ts";
import type { TlsParameters } from "../tls/stack.ts";

/**
 * Everything the reference AE needs to run: listener, AE policy, storage,
 * limits and the acceptor security context.
 */
export interface AeConfig {
  /** Own (called) AE title. */
  ae: string;
  /** Address to listen on, e.g. 127.0.0.1 or 0.0.0.0. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Accepted calling AE titles; empty accepts any. */
  acceptCalling: string[];
  /** Folder for received datasets; without it C-STORE is refused. */
  storage?: string;
  /**
   * Simultaneous associations; past it: A-ASSOCIATE-RJ rejected-transient, local-limit-exceeded.
   */
  maxAssociations: number;
  /** Longest life of one association, from TCP accept. */
  associationTimeoutMs: number;
  /** Longest silence from the peer; also bounds the TLS handshake and the A-ASSOCIATE-RQ. */
  idleTimeoutMs: number;
  /** Maximum PDU length we announce and accept. */
  maxPduLength: number;
  /**
   * Open connections at most, TLS handshakes included; one more is closed at
   * once. Absent: the open-file limit minus 192, at least 16 (connections never take the
   * last file descriptors).
   */
  maxConnections?: number;
  /** Open connections from one peer address at most; one more is closed at once and logged. */
  maxConnectionsPerAddress: number;
  /**
   * Largest C-STORE data set stored, in bytes; a larger one is read to its
   * end without being kept and answered 0xA700 (Refused: Out of Resources).
   */
  maxObjectSize: number;
  /**
   * Largest data set held in memory, in bytes, for requests that are not
   * streamed to a file (C-STORE is); past it the association is aborted.
   */
  maxDatasetInMemory: number;
  /** A C-STORE of a SOP Instance UID already stored: keep both files, replace the old one, or refuse (0x0111). */
  duplicates: DuplicatePolicy;
  /** The acceptor's security context: our certificate, how we verify clients, TLS versions. */
  security: SecurityContext;
}

/** What a C-STORE does when its SOP Instance UID is already stored. */
export type DuplicatePolicy = "keep-both" | "replace" | "refuse";

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
  maxConnectionsPerAddress: 64,
  maxObjectSize: 4 * 1024 ** 3,
  maxDatasetInMemory: 16 * 1024 ** 2,
  duplicates: "keep-both",
};

/**
 * Reads an AE config YAML file (schemas/ae.schema.json): every problem is an
 * {@linkcode InputError} at file:line:column. Relative paths in it are
 * resolved from the file's folder.
 *
 * @example
 * ```ts
 * import { loadAeConfig, resolveAeConfig } from "./config.ts";
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
  const version = (key: string, value: string | number) => {
    const v = parseTlsVersion(value);
    if (!v) throw new SecurityProblem(key, `'${value}' is not a TLS version`, "e.g. 1.2 or 1.3");
    return v;
  };
  const list = (v: string | string[] | undefined) =>
    v === undefined ? undefined : (typeof v === "string" ? v.split(",") : v).map((x) => x.trim());
  const versions = (typeof s.tlsVersions === "string" ? s.tlsVersions.split(",") : s.tlsVersions)
    ?.map((v) => version("tlsVersions", v)).sort(compareTlsVersions);
  const tls: TlsParameters = {
    min: versions?.[0] ?? (s.tlsMin === undefined ? undefined : version("tlsMin", s.tlsMin)),
    max: versions?.at(-1) ?? (s.tlsMax === undefined ? undefined : version("tlsMax", s.tlsMax)),
    stack: s.tlsStack,
    ciphers: list(s.ciphers),
    ciphersuites: list(s.ciphersuites),
    groups: list(s.groups),
    sigalgs: list(s.sigalgs),
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

/**
 * Merges settings (later ones win: file, then flags) over
 * {@linkcode AE_DEFAULTS} and checks that the result can run: exactly one
 * certificate source, trust anchors for `chain`, thumbprints for
 * `thumbprint`. Problems are {@linkcode InputError}s.
 *
 * @example
 * ```ts
 * import { loadAeConfig, resolveAeConfig } from "./config.ts";
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
