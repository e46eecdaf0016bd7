import { dirname, isAbsolute, join } from "node:path";
import { readYamlFile, validateSchema } from "../yaml/mod.ts";
import type { YamlSource } from "../yaml/mod.ts";
import { InputError } from "../yaml/mod.ts";
import schema from "../../schemas/ae.schema.json" with { type: "json" };
import type {
  CertificateSource,
  SecurityContext,
  TlsVersion,
  VerificationMethod,
} from "../security/mod.ts";
import { parseThumbprints } from "../tls/thumbprint.ts";

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
export type AeSettings = Partial<Omit<AeConfig, "security">> & {
  security?: Partial<Omit<SecurityContext, "certificate">> & { certificate?: CertificateSource };
};

/** Defaults for what neither the file nor the flags say. */
export const AE_DEFAULTS: Omit<AeConfig, "security"> & {
  security: Omit<SecurityContext, "certificate">;
} = {
  ae: "DICOMTLS",
  host: "127.0.0.1",
  // The port PS3.15 Annex B registers for DICOM over TLS.
  port: 2762,
  acceptCalling: [],
  maxAssociations: 64,
  associationTimeoutMs: 60_000,
  idleTimeoutMs: 15_000,
  maxPduLength: 65_536,
  security: { verify: "chain", thumbprints: [], ca: [], mutual: true, tlsMin: "1.2" },
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
interface RawSecurity extends CertificateSource {
  verify?: VerificationMethod;
  thumbprints?: string | string[];
  ca?: string | string[];
  mutual?: boolean;
  tlsMin?: string | number;
}

/**
 * The AE settings of a validated AE config document (a file, or the
 * `reference:` of a scenario's SUT via `subSource`); relative paths resolve
 * from the file's folder.
 *
 * @example
 * ```ts
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
  let thumbprints: string[] | undefined;
  try {
    thumbprints = s.thumbprints === undefined ? undefined : parseThumbprints(s.thumbprints);
  } catch (e) {
    throw source.error(
      ["security", "thumbprints"],
      (e as InputError).detail,
      (e as InputError).hint,
    );
  }
  const certificate: CertificateSource = {
    cert: path(s.cert),
    key: path(s.key),
    p12: path(s.p12),
    password: s.password,
    store: path(s.store),
    subject: s.subject,
    storeThumbprint: s.storeThumbprint,
  };
  settings.security = {
    verify: s.verify,
    thumbprints,
    ca: s.ca === undefined
      ? undefined
      : (typeof s.ca === "string" ? [s.ca] : s.ca).map((p) => path(p)!),
    mutual: s.mutual,
    tlsMin: s.tlsMin === undefined ? undefined : String(s.tlsMin) as TlsVersion,
    certificate: dropUndefined(certificate),
  };
  settings.security = dropUndefined(settings.security);
  checkSecurity(
    settings.security,
    (key, message, hint) => source.error(["security", key], message, hint),
  );
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
 * const config = resolveAeConfig(await loadAeConfig("ae.yaml"), { port: 0 });
 * ```
 */
export function resolveAeConfig(...layers: AeSettings[]): AeConfig {
  let security: SecurityContext = { ...AE_DEFAULTS.security };
  let config: Omit<AeConfig, "security"> = { ...AE_DEFAULTS };
  for (const layer of layers) {
    const { security: s, ...rest } = dropUndefined(layer);
    config = { ...config, ...rest };
    if (s) {
      const { certificate, ...others } = dropUndefined(s);
      // A certificate source replaces the previous one whole: --cert on the
      // command line must not mix with a store from the file.
      security = { ...security, ...others, certificate: certificate ?? security.certificate };
    }
  }
  if (!security.certificate) {
    throw new InputError({
      message: "the reference AE needs its own certificate",
      hint:
        "set security.cert + key, p12 or store in the config, or --cert/--key, --p12 or --store",
    });
  }
  const where = (key: string) => `AE config: security.${key}`;
  checkSecurity(
    security,
    (key, message, hint) => new InputError({ message: `${where(key)}: ${message}`, hint }),
  );
  return { ...config, security };
}

type Locate = (key: string, message: string, hint: string) => Error;

function checkSecurity(s: AeSettings["security"] & object, fail: Locate): void {
  const c = s.certificate ?? {};
  const sources =
    [c.cert !== undefined || c.key !== undefined, c.p12 !== undefined, c.store !== undefined]
      .filter(Boolean).length;
  if (sources > 1) {
    throw fail(
      "cert",
      "give one certificate source, not several",
      "either cert + key, or p12, or store",
    );
  }
  if ((c.cert === undefined) !== (c.key === undefined)) {
    throw fail(
      c.cert === undefined ? "key" : "cert",
      "cert and key go together",
      "give both the certificate and its key",
    );
  }
  if ((c.subject !== undefined || c.storeThumbprint !== undefined) && c.store === undefined) {
    throw fail(
      c.subject !== undefined ? "subject" : "storeThumbprint",
      "a selection needs a store",
      "add 'store: DIR'",
    );
  }
  if (c.subject !== undefined && c.storeThumbprint !== undefined) {
    throw fail("subject", "select by subject or by thumbprint, not both", "drop one of them");
  }
  // Without mutual authentication no client certificate is asked for, so nothing is verified.
  if (
    s.mutual !== false && s.verify === "thumbprint" && s.thumbprints !== undefined &&
    s.thumbprints.length === 0
  ) {
    throw fail(
      "thumbprints",
      "verification by thumbprint with no accepted thumbprint",
      "list the peers' SHA-1 or SHA-256 thumbprints",
    );
  }
  if (s.mutual !== false && s.verify === "chain" && s.ca !== undefined && s.ca.length === 0) {
    throw fail(
      "ca",
      "chain verification with no trust anchor",
      "list the CA certificates to trust",
    );
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
