import { basename, dirname, resolve } from "node:path";
import { InputError } from "../yaml/mod.ts";
import { x509 } from "./_x509.ts";
import { fromPem, thumbprint, toPem } from "./der.ts";
import { expectedVerdict, type VerdictInput } from "./expected.ts";
import { generateKeyPair, type KeyPairDer, signingKey } from "./keys.ts";
import { type PkiEntry, type PkiManifest, readManifest } from "./manifest.ts";
import { toPkcs12 } from "./pkcs12.ts";
import { loadPkiSpec, type PkiEntrySpec, type Validity } from "./spec.ts";
import { importWindowsScript } from "./windows.ts";

/** Options of {@linkcode generatePki}. */
export interface GeneratePkiOptions {
  /** Path of the YAML spec. */
  spec: string;
  /** Output folder; replaced as a whole, atomically. */
  out: string;
  /** The time relative validities (expired, not-yet-valid, days) count from; default now. */
  now?: Date;
  /** Regenerate everything, ignoring what is on disk (and replace a folder that is not a PKI). */
  force?: boolean;
}

/** What {@linkcode generatePki} did. */
export interface PkiResult {
  /** Absolute path of the PKI folder. */
  dir: string;
  /** The manifest written to `manifest.json`. */
  manifest: PkiManifest;
  /** Names of the entries made in this run. */
  generated: string[];
  /** Names of the entries taken unchanged from the previous run. */
  reused: string[];
}

// Bump when the output of an unchanged spec entry changes, to invalidate caches.
const GENERATOR_VERSION = 1;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Built {
  spec: PkiEntrySpec;
  der: Uint8Array<ArrayBuffer>;
  cert: x509.X509Certificate;
  /** The certificate's own key (signs what it issues). */
  key: KeyPairDer;
  /** What NAME.key holds: a different key for keyMismatch. */
  keyFile: Uint8Array<ArrayBuffer>;
  /** The previous run's .p12 when reused. */
  p12?: Uint8Array<ArrayBuffer>;
  inputHash: string;
  generated: boolean;
}

/**
 * Generates the PKI a spec describes into `out`: for each entry NAME.crt,
 * NAME.der, NAME.key (PKCS#8, mode 0600), NAME.p12, NAME.chain.pem (the
 * certificate and its intermediates), NAME.crl for authorities, plus
 * `manifest.json` and `import-windows.ps1`. Entries whose spec, issuer and
 * validity window are unchanged since the last run are reused with their
 * keys. The folder is built beside `out` and renamed into place, so it is
 * never half-written.
 *
 * @example
 * ```ts
 * import { generatePki } from "./generate.ts";
 * const pki = await generatePki({ spec: "fixtures/pki/standard.yaml", out: "out/pki" });
 * pki.manifest.entries.find((e) => e.name === "client-expired")?.expected; // "expired"
 * ```
 */
export async function generatePki(options: GeneratePkiOptions): Promise<PkiResult> {
  const spec = await loadPkiSpec(options.spec);
  const dir = resolve(options.out);
  const now = options.now ?? new Date();
  const previous = await previousRun(dir, options.force ?? false);
  const old = new Map(previous?.entries.map((e) => [e.name, e]));

  const built = new Map<string, Built>();
  for (const entry of spec.entries) {
    const issuer = entry.issuer === "self" ? undefined : built.get(entry.issuer)!;
    const inputHash = await hashOf({
      GENERATOR_VERSION,
      entry: { ...entry, at: undefined },
      issuer: issuer?.inputHash,
      password: spec.password,
    });
    const before = old.get(entry.name);
    const reusable = before?.inputHash === inputHash && !issuer?.generated &&
      !stale(entry.validity, before, now);
    built.set(
      entry.name,
      (reusable && await reuse(dir, entry, inputHash)) ||
        await make(entry, issuer, inputHash, now, dir, before),
    );
  }

  const generated = [...built.values()].filter((b) => b.generated).map((b) => b.spec.name);
  const reused = [...built.values()].filter((b) => !b.generated).map((b) => b.spec.name);
  const manifest: PkiManifest = {
    schemaVersion: 1,
    spec: resolve(spec.file),
    password: spec.password,
    entries: await Promise.all([...built.values()].map((b) => manifestEntry(b, built, now))),
  };
  const unchanged = previous !== undefined && generated.length === 0 &&
    previous.password === spec.password && sameNames(previous, manifest) &&
    await crlsFresh(dir, manifest, now);
  if (!unchanged) await writePki(dir, manifest, built, now);
  return { dir, manifest, generated, reused };
}

async function previousRun(dir: string, force: boolean): Promise<PkiManifest | undefined> {
  try {
    return force ? undefined : await readManifest(dir);
  } catch {
    const entries = await Array.fromAsync(Deno.readDir(dir)).catch(() => []);
    if (entries.length > 0 && !force) {
      throw new InputError({
        message:
          `${dir} exists and is not a dicomtls PKI (no readable manifest.json); it would be replaced`,
        hint: "choose a new or empty --out folder, or pass --force to replace it",
      });
    }
    return undefined;
  }
}

async function hashOf(value: unknown): Promise<string> {
  return (await thumbprint(new TextEncoder().encode(JSON.stringify(value)), "SHA-256")).slice(
    0,
    32,
  );
}

/** The certificate's notBefore/notAfter for its validity at `now`. */
function validityDates(validity: Validity, days: number, now: Date): [Date, Date] {
  const t = now.getTime();
  switch (validity) {
    case "valid":
      return [new Date(t - HOUR), new Date(t + days * DAY)];
    case "expired":
      return [new Date(t - DAY - days * DAY), new Date(t - DAY)];
    case "not-yet-valid":
      return [new Date(t + 30 * DAY), new Date(t + 30 * DAY + days * DAY)];
    default:
      return [new Date(validity.notBefore), new Date(validity.notAfter)];
  }
}

// A relative validity is stale when its window no longer gives (or within a
// day will no longer give) the intended state at `now`.
function stale(validity: Validity, before: PkiEntry, now: Date): boolean {
  if (typeof validity === "object") return false;
  const [nb, na] = [Date.parse(before.notBefore), Date.parse(before.notAfter)];
  const state = (t: number) => t < nb ? "not-yet-valid" : t > na ? "expired" : "valid";
  return state(now.getTime()) !== validity || state(now.getTime() + DAY) !== validity;
}

async function reuse(
  dir: string,
  spec: PkiEntrySpec,
  inputHash: string,
): Promise<Built | undefined> {
  try {
    const der = await Deno.readFile(`${dir}/${spec.name}.der`);
    const keyFile = fromPem(await Deno.readTextFile(`${dir}/${spec.name}.key`), "PRIVATE KEY");
    const p12 = await Deno.readFile(`${dir}/${spec.name}.p12`);
    const cert = new x509.X509Certificate(der);
    const spki = new Uint8Array(cert.publicKey.rawData);
    return {
      spec,
      der,
      cert,
      key: { pkcs8: keyFile, spki },
      keyFile,
      p12,
      inputHash,
      generated: false,
    };
  } catch {
    return undefined; // a file is missing or broken: make the entry again
  }
}

async function make(
  spec: PkiEntrySpec,
  issuer: Built | undefined,
  inputHash: string,
  now: Date,
  dir: string,
  before: PkiEntry | undefined,
): Promise<Built> {
  // Keep the previous key when the key type is unchanged: RSA keys are the slow part.
  const kept = before?.keyType === spec.key && !spec.keyMismatch && before.files
    ? await Deno.readTextFile(`${dir}/${before.files.key}`).then((t) => fromPem(t, "PRIVATE KEY"))
      .catch(() => undefined)
    : undefined;
  const key = kept
    ? { pkcs8: kept, spki: await spkiOf(kept, spec) }
    : await generateKeyPair(spec.key);
  const keyFile = spec.keyMismatch ? (await generateKeyPair(spec.key)).pkcs8 : key.pkcs8;
  const [notBefore, notAfter] = validityDates(spec.validity, spec.days, now);
  const subject = Object.entries(spec.subject).map(([k, v]) => ({ [k]: [v] }));
  const signer = await signingKey(
    (issuer?.key ?? key).pkcs8,
    issuer?.spec.key ?? spec.key,
    spec.hash,
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: issuer?.cert.subjectName ?? subject,
    notBefore,
    notAfter,
    publicKey: key.spki,
    signingKey: signer.key,
    signingAlgorithm: signer.algorithm,
    extensions: await extensions(spec, key.spki, issuer?.key.spki),
  });
  const der = new Uint8Array(cert.rawData);
  // The signature BIT STRING ends the DER: altering its last byte breaks the signature only.
  if (spec.corrupt === "signature") der[der.length - 1] ^= 0x01;
  return {
    spec,
    der,
    cert: new x509.X509Certificate(der),
    key,
    keyFile,
    inputHash,
    generated: true,
  };
}

async function spkiOf(
  pkcs8: Uint8Array<ArrayBuffer>,
  spec: PkiEntrySpec,
): Promise<Uint8Array<ArrayBuffer>> {
  // WebCrypto has no private-to-public derivation; a PKCS#8 key's JWK export carries the public part.
  const alg = spec.key.startsWith("rsa")
    ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
    : { name: "ECDSA", namedCurve: `P-${spec.key.slice(4)}` };
  const priv = await crypto.subtle.importKey("pkcs8", pkcs8, alg, true, ["sign"]);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = await crypto.subtle.exportKey(
    "jwk",
    priv,
  );
  const key = await crypto.subtle.importKey("jwk", { ...pub, key_ops: ["verify"] }, alg, true, [
    "verify",
  ]);
  return new Uint8Array(await crypto.subtle.exportKey("spki", key));
}

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x40; // positive, always 16 bytes
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
}

async function extensions(
  spec: PkiEntrySpec,
  spki: Uint8Array<ArrayBuffer>,
  issuerSpki?: Uint8Array<ArrayBuffer>,
): Promise<x509.Extension[]> {
  const { KeyUsageFlags: KU, ExtendedKeyUsage: EKU } = x509;
  const list: x509.Extension[] = [
    await x509.SubjectKeyIdentifierExtension.create(spki),
    await x509.AuthorityKeyIdentifierExtension.create(issuerSpki ?? spki),
  ];
  if (spec.kind === "authority") {
    list.push(
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(KU.keyCertSign | KU.cRLSign | KU.digitalSignature, true),
    );
    return list;
  }
  const rsa = spec.key.startsWith("rsa");
  list.push(
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(KU.digitalSignature | (rsa ? KU.keyEncipherment : 0), true),
  );
  const eku =
    { client: [EKU.clientAuth], server: [EKU.serverAuth], both: [EKU.serverAuth, EKU.clientAuth] }[
      spec.usage as "client"
    ];
  if (eku) list.push(new x509.ExtendedKeyUsageExtension(eku, false));
  if (spec.san.length) {
    const ip = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]*)$/;
    list.push(
      new x509.SubjectAlternativeNameExtension(
        spec.san.map((v) => ({ type: ip.test(v) ? "ip" as const : "dns" as const, value: v })),
      ),
    );
  }
  return list;
}

// Intermediates from the issuer up to, not including, the root.
function intermediates(b: Built, built: Map<string, Built>): Built[] {
  const chain: Built[] = [];
  for (let at = b.spec.issuer; at !== "self"; at = built.get(at)!.spec.issuer) {
    if (built.get(at)!.spec.issuer !== "self") chain.push(built.get(at)!);
  }
  return chain;
}

function rootOf(b: Built, built: Map<string, Built>): string {
  let at = b;
  while (at.spec.issuer !== "self") at = built.get(at.spec.issuer)!;
  return at.spec.name;
}

async function manifestEntry(b: Built, built: Map<string, Built>, now: Date): Promise<PkiEntry> {
  const inputs = new Map<string, VerdictInput>();
  for (const [name, { spec, cert }] of built) {
    inputs.set(name, { ...spec, notBefore: cert.notBefore, notAfter: cert.notAfter });
  }
  const { name, kind, issuer, usage, role } = b.spec;
  return {
    name,
    kind,
    subject: b.cert.subject,
    issuer: b.cert.issuer,
    ...(issuer === "self" ? {} : { issuerName: issuer }),
    root: rootOf(b, built),
    serial: b.cert.serialNumber.toUpperCase(),
    notBefore: b.cert.notBefore.toISOString(),
    notAfter: b.cert.notAfter.toISOString(),
    keyType: b.spec.key,
    hash: b.spec.hash,
    usage,
    sha1: await thumbprint(b.der, "SHA-1"),
    sha256: await thumbprint(b.der, "SHA-256"),
    files: {
      crt: `${name}.crt`,
      key: `${name}.key`,
      der: `${name}.der`,
      p12: `${name}.p12`,
      ...(issuer === "self" ? {} : { chain: `${name}.chain.pem` }),
      ...(kind === "authority" ? { crl: `${name}.crl` } : {}),
    },
    expected: expectedVerdict(name, inputs, now),
    ...(role ? { expectedFor: role } : {}),
    ...(kind === "authority" && issuer === "self" ? { trusted: b.spec.trusted } : {}),
    inputHash: b.inputHash,
  };
}

function sameNames(a: PkiManifest, b: PkiManifest): boolean {
  return a.entries.map((e) => e.name).join() === b.entries.map((e) => e.name).join();
}

async function crlsFresh(dir: string, manifest: PkiManifest, now: Date): Promise<boolean> {
  for (const e of manifest.entries) {
    if (!e.files.crl) continue;
    try {
      const crl = new x509.X509Crl(await Deno.readFile(`${dir}/${e.files.crl}`));
      if (
        !crl.nextUpdate || crl.nextUpdate.getTime() < now.getTime() + DAY || crl.thisUpdate > now
      ) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function crl(
  b: Built,
  built: Map<string, Built>,
  now: Date,
): Promise<Uint8Array<ArrayBuffer>> {
  const revoked = [...built.values()].filter((c) =>
    c.spec.issuer === b.spec.name && c.spec.revoked
  );
  const signer = await signingKey(b.key.pkcs8, b.spec.key, b.spec.hash);
  const list = await x509.X509CrlGenerator.create({
    issuer: b.cert.subjectName,
    thisUpdate: new Date(now.getTime() - HOUR),
    nextUpdate: new Date(now.getTime() + 30 * DAY),
    entries: revoked.map((c) => ({
      serialNumber: c.cert.serialNumber,
      revocationDate: new Date(now.getTime() - HOUR),
      reason: x509.X509CrlReason.keyCompromise,
    })),
    signingKey: signer.key,
    signingAlgorithm: signer.algorithm,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(b.key.spki)],
  });
  return new Uint8Array(list.rawData);
}

async function writePki(dir: string, manifest: PkiManifest, built: Map<string, Built>, now: Date) {
  const parent = dirname(dir);
  let tmp: string;
  try {
    await Deno.mkdir(parent, { recursive: true });
    tmp = await Deno.makeTempDir({ dir: parent, prefix: `.${basename(dir)}.tmp-` });
    await Deno.chmod(tmp, 0o755); // a PKI folder, not a secret one: the keys are 0600
  } catch (e) {
    throw new InputError({
      message: `cannot write ${dir}: ${e instanceof Error ? e.message : e}`,
      hint: "choose a writable --out folder",
    });
  }
  try {
    for (const b of built.values()) {
      const name = b.spec.name;
      const chain = intermediates(b, built);
      await Deno.writeTextFile(`${tmp}/${name}.crt`, toPem("CERTIFICATE", b.der));
      await Deno.writeFile(`${tmp}/${name}.der`, b.der);
      await Deno.writeTextFile(`${tmp}/${name}.key`, toPem("PRIVATE KEY", b.keyFile), {
        mode: 0o600,
      });
      await Deno.chmod(`${tmp}/${name}.key`, 0o600);
      if (b.spec.issuer !== "self") {
        await Deno.writeTextFile(
          `${tmp}/${name}.chain.pem`,
          [b, ...chain].map((c) => toPem("CERTIFICATE", c.der)).join(""),
        );
      }
      const p12 = b.p12 ?? toPkcs12({
        certificate: b.der,
        chain: chain.map((c) => c.der),
        pkcs8: b.keyFile,
        password: manifest.password,
        friendlyName: name,
      });
      await Deno.writeFile(`${tmp}/${name}.p12`, p12);
      if (b.spec.kind === "authority") {
        await Deno.writeFile(`${tmp}/${name}.crl`, await crl(b, built, now));
      }
    }
    await Deno.writeTextFile(`${tmp}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
    await Deno.writeTextFile(`${tmp}/import-windows.ps1`, importWindowsScript(manifest));
    await swapInto(tmp, dir);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
}

// Replace `dir` with `tmp`: the old folder moves aside first, so `dir` is
// always either the old or the new PKI, never a mix.
async function swapInto(tmp: string, dir: string) {
  const aside = `${tmp}.old`;
  const moved = await Deno.rename(dir, aside).then(() => true, (e) => {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  });
  await Deno.rename(tmp, dir);
  if (moved) await Deno.remove(aside, { recursive: true });
}
