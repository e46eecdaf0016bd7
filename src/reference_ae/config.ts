import { dirname, isAbsolute, join } from "node:path";
import { readYamlFile, validateSchema } from "../yaml/mod.ts";
import type { YamlSource } from "../yaml/mod.ts";
import { InputError } from "../yaml/mod.ts";
import schema from "../../schemas/ae.schema.json" with { type: "json" };
import {
  resolveSecurityContext,
  type SecurityContext,
  SecurityProblem,
  type SecuritySettings,
} from "../security/mod.ts";
import { type RawSecurity, securitySettingsOf } from "./security_settings.ts";

// Split out so that the command line's security flags load no YAML parser.
export { type RawSecurity, securitySettingsOf };

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
  // 64 refused 9 to 49 of 500 associations of one client running 50 at a time (serve bench):
  // sockets of finished associations still count while they close.
  maxConnectionsPerAddress: 256,
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
    if (e instanceof SecurityProblem) {
      const entry = e.index !== undefined && Array.isArray(s[e.key as keyof RawSecurity]);
      throw source.error(["security", e.key, ...(entry ? [e.index!] : [])], e.message, e.hint);
    }
    if (e instanceof InputError) throw source.error(["security", "thumbprints"], e.detail, e.hint);
    throw e;
  }
  return settings;
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
