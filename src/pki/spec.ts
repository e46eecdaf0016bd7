import {
  closest,
  readYamlFile,
  validateSchema,
  type YamlPath,
  type YamlSource,
} from "../yaml/mod.ts";
import schema from "../../schemas/pki.schema.json" with { type: "json" };
import type { Hash, KeyType } from "./keys.ts";
import type { PasswordSource, Usage } from "./manifest.ts";
import { gazellePreset } from "./_presets.ts";

/** When a certificate is valid: relative to now, or explicit dates. */
export type Validity = "valid" | "expired" | "not-yet-valid" | {
  notBefore: string;
  notAfter: string;
};

/** One certificate of a spec with `like` and defaults applied. */
export interface PkiEntrySpec {
  /** The entry's name; also the base of its file names. */
  name: string;
  /** An authority (listed under `authorities:`) or an end-entity certificate. */
  kind: "authority" | "certificate";
  /** The issuing authority's name; `self` for self-signed certificates. */
  issuer: string;
  /** Subject attributes, e.g. `{ CN: "localhost", O: "Example Hospital" }`. */
  subject: Record<string, string>;
  /** Subject alternative names: DNS names and IP addresses. */
  san: string[];
  /** The extended key usage to give it. */
  usage: Usage;
  /** The TLS role the expected verdict is decided for. */
  role?: "client" | "server";
  /** The key type, e.g. "ec-p256" or "rsa-2048". */
  key: KeyType;
  /** The signature hash. */
  hash: Hash;
  /** Validity length in days, for relative validities. */
  days: number;
  /** Valid now, expired, not yet valid, or explicit dates. */
  validity: Validity;
  /** Whether its issuer's CRL lists it. */
  revoked: boolean;
  /** A deliberately broken part: "signature" alters the signature bytes. */
  corrupt?: "signature";
  /** Whether its key file gets a different key than the certificate's. */
  keyMismatch: boolean;
  /** For self-signed authorities: part of the standard trust. */
  trusted: boolean;
  /** Where it is written in the spec, for errors. */
  at: YamlPath;
}

/** A loaded spec: entries in dependency order (every issuer before what it issues). */
export interface PkiSpec {
  /** The spec file (absolute path). */
  file: string;
  /** The password of every .p12 file. */
  password: string;
  /** Whether `password` is the spec's own or the default. */
  passwordFrom: PasswordSource;
  /** Every authority and certificate. */
  entries: PkiEntrySpec[];
}

/** The .p12 password when the spec sets none. */
export const DEFAULT_PASSWORD = "dicomtls";

type Raw = Partial<Omit<PkiEntrySpec, "kind" | "at">> & { name: string; like?: string };
interface RawEntry {
  raw: Raw;
  kind: "authority" | "certificate";
  at: YamlPath;
}

/**
 * Reads a PKI spec, validates it against `schemas/pki.schema.json`, expands
 * presets, `like` and defaults, and checks references (unknown `like` or
 * `issuer`, cycles). Every problem is an InputError at file:line:column.
 *
 * @example
 * ```ts
 * import { loadPkiSpec } from "./spec.ts";
 * const spec = await loadPkiSpec("fixtures/pki/standard.yaml");
 * spec.entries.map((e) => e.name); // ["root", "intermediate", "rogue", "server", ...]
 * ```
 */
export async function loadPkiSpec(file: string): Promise<PkiSpec> {
  return parsePkiSpec(await readYamlFile(file));
}

/**
 * {@linkcode loadPkiSpec} for an already parsed document.
 *
 * @example
 * ```ts
 * import { parsePkiSpec } from "./spec.ts";
 * import { parseYaml } from "../yaml/mod.ts";
 * parsePkiSpec(parseYaml("authorities: [{ name: root }]\n", "pki.yaml"));
 * ```
 */
export function parsePkiSpec(source: YamlSource): PkiSpec {
  refuseSuite(source);
  validateSchema(source, schema);
  const doc = (source.value ?? {}) as SpecDocument;
  const list: RawEntry[] = [
    ...(doc.authorities ?? []).map((raw, i) => ({
      raw,
      kind: "authority" as const,
      at: ["authorities", i],
    })),
    ...(doc.certificates ?? []).map((raw, i) => ({
      raw,
      kind: "certificate" as const,
      at: ["certificates", i],
    })),
  ];
  (doc.presets ?? []).forEach((_, i) => list.push(...gazellePreset(list, source, ["presets", i])));
  const byName = indexByName(list, source);
  const names = [...byName.keys()];
  for (const entry of list) checkReferences(entry, byName, names, source);
  const resolve = likeResolver(byName, source);
  let firstRoot = true;
  const entries = list.map((entry): PkiEntrySpec => {
    const r = resolve(entry, []);
    const issuer = r.issuer ?? (entry.kind === "authority" ? "self" : undefined);
    if (issuer === undefined) {
      throw source.error(
        entry.at,
        `certificate '${r.name}' has no issuer`,
        "add 'issuer: NAME' (an authority) or 'issuer: self'",
      );
    }
    const isRoot = entry.kind === "authority" && issuer === "self";
    // Without `trusted`, a root is trusted only when no earlier root is: `root` yes, `rogue` no.
    const trusted = isRoot && (r.trusted ?? firstRoot);
    if (trusted) firstRoot = false;
    return entrySpec(entry, r, { issuer, trusted, defaults: doc.defaults });
  });
  checkSigners(entries, source);
  return {
    file: source.file,
    password: doc.password ?? DEFAULT_PASSWORD,
    passwordFrom: doc.password === undefined ? "default" : "spec",
    entries: order(entries, source),
  };
}

/** A PKI spec document as written (after the schema). */
interface SpecDocument {
  password?: string;
  presets?: string[];
  defaults?: { key?: KeyType; days?: number; hash?: Hash };
  authorities?: Raw[];
  certificates?: Raw[];
}

// Every entry by its unique name ('self' is reserved for self-signed issuers).
function indexByName(list: RawEntry[], source: YamlSource): Map<string, RawEntry> {
  const byName = new Map<string, RawEntry>();
  for (const entry of list) {
    if (entry.raw.name === "self") {
      throw source.error(
        [...entry.at, "name"],
        "the name 'self' is reserved",
        "choose another name",
      );
    }
    if (byName.has(entry.raw.name)) {
      throw source.error(
        [...entry.at, "name"],
        `duplicate name '${entry.raw.name}'`,
        "names must be unique",
      );
    }
    byName.set(entry.raw.name, entry);
  }
  return byName;
}

// An entry with what it is `like` merged under its own keys (cycles are errors).
function likeResolver(byName: Map<string, RawEntry>, source: YamlSource) {
  const resolved = new Map<string, Raw>();
  const resolve = (entry: RawEntry, seen: string[]): Raw => {
    const done = resolved.get(entry.raw.name);
    if (done) return done;
    if (seen.includes(entry.raw.name)) {
      throw source.error(
        [...entry.at, "like"],
        `'like' forms a cycle: ${[...seen, entry.raw.name].join(" -> ")}`,
        "remove one 'like'",
      );
    }
    const base: Partial<Raw> = entry.raw.like
      ? resolve(byName.get(entry.raw.like)!, [...seen, entry.raw.name])
      : {};
    const { like: _like, ...own } = entry.raw;
    const merged = { ...base, ...own, role: own.role ?? base.role ?? roleOf(base.usage) } as Raw;
    resolved.set(entry.raw.name, merged);
    return merged;
  };
  return resolve;
}

function entrySpec(
  entry: RawEntry,
  r: Raw,
  o: { issuer: string; trusted: boolean; defaults: SpecDocument["defaults"] },
): PkiEntrySpec {
  const usage = entry.kind === "authority" ? "ca" : r.usage ?? "none";
  return {
    name: r.name,
    kind: entry.kind,
    issuer: o.issuer,
    subject: r.subject ?? { CN: r.name },
    san: r.san ?? [],
    usage,
    role: r.role ?? roleOf(usage),
    key: r.key ?? o.defaults?.key ?? "ec-p256",
    hash: r.hash ?? o.defaults?.hash ?? "sha256",
    days: r.days ?? o.defaults?.days ?? 365,
    validity: r.validity ?? "valid",
    revoked: r.revoked ?? false,
    corrupt: r.corrupt,
    keyMismatch: r.keyMismatch ?? false,
    trusted: o.trusted,
    at: entry.at,
  };
}

// What this platform's WebCrypto cannot sign is a spec error at the entry.
function checkSigners(entries: PkiEntrySpec[], source: YamlSource): void {
  for (const e of entries) {
    const signer = e.issuer === "self" ? e : entries.find((x) => x.name === e.issuer)!;
    // Measured: Deno's WebCrypto fails to sign SHA-1 with a P-384 key (P-256 and P-521 can).
    if (signer.key === "ec-p384" && e.hash === "sha1") {
      throw source.error(
        e.at,
        `'${e.name}' would be signed with SHA-1 by an ec-p384 key, which this platform's WebCrypto cannot do`,
        "use hash sha256 or stronger, or give its issuer an ec-p256, ec-p521 or RSA key",
      );
    }
  }
}

function roleOf(usage: Usage | undefined): "client" | "server" | undefined {
  return usage === "client" || usage === "server" ? usage : undefined;
}

function checkReferences(
  entry: RawEntry,
  byName: Map<string, RawEntry>,
  names: string[],
  source: YamlSource,
) {
  const { like, issuer, validity } = entry.raw;
  if (like !== undefined) {
    const base = byName.get(like);
    if (!base) {
      // Its model is another entry of its own list: never itself, nor one of the other kind.
      const models = names.filter((n) =>
        n !== entry.raw.name && byName.get(n)!.kind === entry.kind
      );
      const near = closest(like, models);
      throw source.error(
        [...entry.at, "like"],
        `'like: ${like}' names nothing`,
        near
          ? `did you mean '${near}'?`
          : models.length
          ? `use one of: ${models.join(", ")}`
          : `'like' copies another ${entry.kind} of the list, and there is none: remove it`,
      );
    }
    if (base.kind !== entry.kind) {
      throw source.error(
        [...entry.at, "like"],
        `'like: ${like}' names a${
          base.kind === "authority" ? "n authority" : " certificate"
        }, but '${entry.raw.name}' is a${
          entry.kind === "authority" ? "n authority" : " certificate"
        }`,
        `use another ${entry.kind} as the model`,
      );
    }
  }
  if (issuer !== undefined && issuer !== "self") {
    const target = byName.get(issuer);
    const authorities = names.filter((n) => byName.get(n)!.kind === "authority");
    if (!target) {
      const near = closest(issuer, authorities);
      throw source.error(
        [...entry.at, "issuer"],
        `'issuer: ${issuer}' names nothing`,
        near ? `did you mean '${near}'?` : `use one of: self, ${authorities.join(", ")}`,
      );
    }
    if (target.kind !== "authority") {
      throw source.error(
        [...entry.at, "issuer"],
        `'issuer: ${issuer}' is a certificate; only authorities issue certificates`,
        "move it to 'authorities' or name an authority",
      );
    }
  }
  for (const [key, value] of Object.entries(entry.raw.subject ?? {})) {
    if (value.length > SUBJECT_VALUE_MAX) {
      throw source.error(
        [...entry.at, "subject", key],
        `subject ${key} has ${value.length} characters, more than the ${SUBJECT_VALUE_MAX} ` +
          "dicomtls writes in a name",
        "RFC 5280 bounds CN, O and OU at 64; a longer one is enough to test a peer with",
      );
    }
  }
  if (typeof validity === "object") {
    for (const key of ["notBefore", "notAfter"] as const) {
      const problem = dateProblem(validity[key]);
      if (problem) {
        throw source.error(
          [...entry.at, "validity", key],
          `'${validity[key]}' ${problem}`,
          "write an ISO 8601 date from 1950 to 9999 such as 2030-01-31 or 2030-01-31T12:00:00Z",
        );
      }
    }
    if (Date.parse(validity.notBefore) > Date.parse(validity.notAfter)) {
      throw source.error(
        [...entry.at, "validity"],
        "notBefore is after notAfter",
        "swap the two dates",
      );
    }
  }
}

// The longest subject attribute written: far beyond RFC 5280's bounds, short of what the
// ASN.1 encoder survives (200 000 characters overflowed its stack).
const SUBJECT_VALUE_MAX = 1024;

// Why a date cannot be a certificate's: not a date, a day the month does not have (which
// Date.parse would move into the next month), or a year not written as given: X.509 years
// have four digits (RFC 5280 4.1.2.5), and our encoder writes one before 1950 as a two-digit
// UTCTime (1900 became 2000, 0000 an invalid time).
function dateProblem(text: string): string | undefined {
  const time = Date.parse(text);
  if (Number.isNaN(time)) return "is not a date";
  const ymd = text.match(/^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})/);
  if (ymd) {
    const [year, month, day] = ymd.slice(1).map(Number);
    const written = new Date(Date.UTC(year, month - 1, day));
    if (written.getUTCMonth() !== month - 1 || written.getUTCDate() !== day) {
      return "is not a date: the month has no such day";
    }
  }
  const year = new Date(time).getUTCFullYear();
  if (year < 1950 || year > 9999) {
    return `is in the year ${year}; dicomtls writes certificate dates from 1950 to 9999`;
  }
  return undefined;
}

// Issuers before what they issue; an issuer cycle among authorities is an error.
function order(entries: PkiEntrySpec[], source: YamlSource): PkiEntrySpec[] {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const out: PkiEntrySpec[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (entry: PkiEntrySpec, trail: string[]) => {
    if (state.get(entry.name) === "done") return;
    if (state.get(entry.name) === "visiting") {
      throw source.error(
        [...entry.at, "issuer"],
        `issuers form a cycle: ${[...trail, entry.name].join(" -> ")}`,
        "one authority in the cycle must be a root (no issuer)",
      );
    }
    state.set(entry.name, "visiting");
    if (entry.issuer !== "self") visit(byName.get(entry.issuer)!, [...trail, entry.name]);
    state.set(entry.name, "done");
    out.push(entry);
  };
  for (const entry of entries) visit(entry, []);
  return out;
}

// A suite where a spec belongs (`--pki suite.yaml`, `pki: other-suite.yaml`): its keys, each
// unknown to the spec's schema, would hide what it is behind a line per key.
function refuseSuite(source: YamlSource): void {
  const value = source.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) return;
  if (!("suite" in value) || "authorities" in value || "certificates" in value) return;
  throw source.error(
    ["suite"],
    "this is a scenario suite, not a PKI spec",
    `give the PKI spec the suite names in its 'pki:', or a folder 'dicomtls pki' wrote; run the suite with 'dicomtls run ${source.file}'`,
    { key: true },
  );
}
