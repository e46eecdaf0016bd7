import { closest, InputError, type YamlPath, type YamlSource } from "../yaml/mod.ts";
import {
  type CertificateSource,
  loadLocalCertificate,
  loadTrustAnchors,
  resolveSecurityContext,
  type SecurityContext,
  SecurityProblem,
  type SecurityRole,
  type SecuritySettings,
  type VerificationMethod,
} from "../security/mod.ts";
import { parseThumbprints } from "../tls/thumbprint.ts";
import { CredentialsError } from "../tls/credentials.ts";
import { compareTlsVersions, parseTlsVersion, TLS_VERSIONS } from "../tls/version.ts";
import type { TlsParameters } from "../tls/stack.ts";
import { tlsNameList, tlsNameProblem } from "../tls/openssl/names.ts";
import type { SuitePki } from "./_pki.ts";
import { asList, displayPath, existingPath } from "./_walk.ts";
import type { HarnessSettings } from "./types.ts";
import { aeTitleAt } from "./_values.ts";

/** One `harness:` mapping and where it is written (peers.harness, defaults.harness, a case's). */
export interface HarnessLayer {
  value: Record<string, unknown>;
  path: YamlPath;
}

interface Context {
  source: YamlSource;
  dir: string;
  pki?: SuitePki;
}

/** A harness `verify:` as written: the method, its thumbprints, and a host name check. */
interface Verify {
  method: VerificationMethod;
  thumbprints?: string[];
  checkHostname?: boolean;
}

/**
 * Merges harness layers (each key of a later layer replaces the earlier) and
 * resolves PKI names, files and thumbprints into our security context as
 * requester, with errors at the key's line.
 */
export async function resolveHarness(
  layers: HarnessLayer[],
  options: Context & { calledAe: string; role?: SecurityRole },
): Promise<HarnessSettings> {
  const role = options.role ?? "requestor";
  // The value of each key and the path it came from.
  const pick = (key: string): [unknown, YamlPath] | undefined => {
    for (const layer of [...layers].reverse()) {
      if (layer.value[key] !== undefined) return [layer.value[key], [...layer.path, key]];
    }
  };
  const { source } = options;
  const trustAt = pick("trust");
  const ca = trustAt
    ? await resolveTrust(trustAt[0] as string | string[], trustAt[1], options)
    : [];
  const verifyAt = pick("verify");
  // Without verify, a harness that trusts something verifies by chain, else not at all.
  const verify = verifyAt
    ? verifyOf(verifyAt[0], verifyAt[1], source)
    : { method: ca.length ? "chain" : "none" } as Verify;
  const certAt = pick("certificate");
  const tlsAt = pick("tls");
  // `tls: off`: the same association in plain DICOM (YAML 1.1 readers may give false).
  const plain = tlsAt?.[0] === "off" || tlsAt?.[0] === false;
  const certificate: CertificateSource = certAt
    ? await resolveCertificate(certAt[0], certAt[1], options)
    : { kind: "none" };
  // What run would fail on is found now, at the certificate's line: password, format, key;
  // a PKI name's files too (a PKI folder may have lost a key, or been given another one).
  if (certAt) {
    await checkLoadable(certificate, certAt[1], source, typeof certAt[0] === "string");
  }
  if (trustAt) await checkTrust(ca, trustAt, source);
  const settings: SecuritySettings = {
    certificate,
    verify: verify.method,
    thumbprints: verify.thumbprints ?? [],
    ca,
    checkHostname: verify.checkHostname ?? (pick("checkHostname")?.[0] as boolean | undefined) ??
      false,
    tls: tlsAt && !plain ? tlsParameters(tlsAt[0], tlsAt[1], source) : {},
  };
  // Listening for an SCU under test, `max: TLSv1` alone means that version alone (the
  // acceptor's TLS 1.2 floor would contradict it).
  const max = settings.tls?.max;
  if (role === "acceptor" && max && !settings.tls?.min && compareTlsVersions(max, "TLSv1.2") < 0) {
    settings.tls = { ...settings.tls, min: max };
  }
  let security: SecurityContext;
  try {
    security = resolveSecurityContext([settings], { role });
  } catch (e) {
    if (!(e instanceof SecurityProblem)) throw e;
    if (e.key === "certificate") {
      throw source.error(
        layers[0].path,
        "the harness listens for the SUT (role scu): it needs a certificate to present",
        "add certificate: server (a PKI name) or { cert, key } under peers.harness",
      );
    }
    if (e.key === "ca") {
      throw source.error(
        verifyAt![1],
        "verify: chain needs trust anchors, but the harness trusts nothing",
        "add trust: [root] (PKI names or PEM or DER files), or use verify: none",
      );
    }
    throw source.error(e.key === "tls" ? [...tlsAt![1], "min"] : verifyAt![1], e.message, e.hint);
  }
  const ae = (key: string, otherwise: string) => {
    const at = pick(key);
    return at ? aeTitleAt(at[0], at[1], source) : otherwise;
  };
  return {
    callingAe: ae("ae", "DICOMTLS"),
    calledAe: ae("calledAe", options.calledAe),
    security,
    ...(plain ? { plain: true } : {}),
  };
}

const loads = new Map<string, Promise<InputError | undefined>>();

// What loading gives, once per process: undefined, or the InputError run would meet.
function loadOnce(key: string, load: () => Promise<unknown>): Promise<InputError | undefined> {
  let loaded = loads.get(key);
  if (!loaded) {
    loaded = load().then(
      () => undefined,
      (e) => {
        if (e instanceof InputError) return e;
        throw e;
      },
    );
    loads.set(key, loaded);
  }
  return loaded;
}

// A PKI's file that cannot be used: the folder is not as `dicomtls pki` wrote it.
const PKI_HINT =
  "the PKI folder is not as 'dicomtls pki' wrote it: restore the file, or generate the folder again (and give the device the new PKI)";

async function checkLoadable(
  certificate: CertificateSource,
  path: YamlPath,
  source: YamlSource,
  fromPki: boolean,
): Promise<void> {
  const problem = await loadOnce(
    JSON.stringify(certificate),
    () => loadLocalCertificate(certificate),
  );
  if (!problem) return;
  const file = problem.location?.file;
  throw source.error(
    path,
    `${file ? `${displayPath(file)}: ` : ""}${problem.detail}`,
    fromPki
      ? PKI_HINT
      : /none was given/.test(problem.detail)
      ? "add password: beside p12: (or beside store: for its .p12 files)"
      : /wrong password/.test(problem.detail)
      ? "check password: beside p12: (or the store's .p12 files)"
      : /swapped/.test(problem.hint ?? "")
      ? "cert: and key: are swapped? cert: names the certificate, key: its private key"
      : problem instanceof CredentialsError && problem.reason === "key-mismatch"
      ? "give the key that was generated with this certificate"
      : /not a PEM|no PEM/.test(problem.detail)
      ? "give PEM files (openssl x509 -inform DER -in F -out F.pem converts a DER certificate)"
      : problem.hint ?? "check the file",
  );
}

// The trust anchors run would read, read now: each entry's problem at its line.
async function checkTrust(files: string[], at: [unknown, YamlPath], source: YamlSource) {
  const [value, path] = at;
  for (const [i, file] of files.entries()) {
    const problem = await loadOnce(`trust\0${file}`, () => loadTrustAnchors([file]));
    if (!problem) continue;
    const item = Array.isArray(value) ? value[i] as string : value as string;
    throw source.error(
      Array.isArray(value) ? [...path, i] : path,
      problem.detail.replace(file, displayPath(file)),
      looksLikeFile(item) ? problem.hint : PKI_HINT,
    );
  }
}

function tlsParameters(value: unknown, path: YamlPath, source: YamlSource): TlsParameters {
  const v = value as Record<string, unknown>;
  const version = (written: unknown, at: YamlPath) => {
    const parsed = parseTlsVersion(written as string);
    if (!parsed) throw source.error(at, `'${written}' is not a TLS version`, "e.g. TLSv1.2");
    return parsed;
  };
  const p: TlsParameters = {};
  for (const end of ["min", "max"] as const) {
    if (v[end] !== undefined) p[end] = version(v[end], [...path, end]);
  }
  if (Array.isArray(v.versions)) {
    const listed = v.versions.map((x, i) => version(x, [...path, "versions", i]));
    const sorted = [...listed].sort(compareTlsVersions);
    const span = TLS_VERSIONS.slice(
      TLS_VERSIONS.indexOf(sorted[0]),
      TLS_VERSIONS.indexOf(sorted[sorted.length - 1]) + 1,
    );
    if (span.length !== new Set(listed).size) {
      throw source.error(
        [...path, "versions"],
        `versions ${listed.join(", ")} leave a gap: a client offers a contiguous range`,
        `list every version from ${sorted[0]} to ${sorted[sorted.length - 1]}`,
      );
    }
    [p.min, p.max] = [sorted[0], sorted[sorted.length - 1]];
  }
  if (v.stack !== undefined) p.stack = v.stack as TlsParameters["stack"];
  // Suites, groups and signature algorithms: the first bad name at its line ("A,B" at the string's).
  for (const key of ["ciphers", "ciphersuites", "groups", "sigalgs"] as const) {
    if (v[key] === undefined) continue;
    const names = tlsNameList(v[key] as string | string[]);
    const problem = tlsNameProblem(key, names);
    if (problem) {
      const at = Array.isArray(v[key]) ? [...path, key, problem.index] : [...path, key];
      throw source.error(at, problem.message, problem.hint);
    }
    p[key] = names;
  }
  return p;
}

function pkiEntry(name: string, path: YamlPath, ctx: Context, what: string) {
  if (!ctx.pki) {
    throw ctx.source.error(
      path,
      `${what} '${name}' names a PKI certificate, but the suite has no 'pki:'`,
      "add 'pki: path/to/spec.yaml' at the top of the suite, or give files",
    );
  }
  const entry = ctx.pki.entries.get(name);
  if (entry) return entry;
  const names = [...ctx.pki.entries.keys()];
  const near = closest(name, names);
  throw ctx.source.error(
    path,
    `unknown PKI name '${name}' in ${what}`,
    near
      ? `did you mean '${near}'?`
      : `the PKI ${ctx.pki.folder ? displayPath(ctx.pki.dir) : ctx.pki.spec} has: ${
        names.join(", ")
      }`,
  );
}

async function resolveCertificate(
  value: unknown,
  path: YamlPath,
  ctx: Context,
): Promise<CertificateSource> {
  const file = (key: string, what: string) =>
    existingPath(ctx.source, { dir: ctx.dir, file: v[key] as string, path: [...path, key], what });
  const v = value as Record<string, unknown>;
  if (value === "none") return { kind: "none" };
  if (typeof value === "string") {
    const e = pkiEntry(value, path, ctx, "certificate");
    // The chain file holds the certificate and its intermediates: we send them all.
    return { kind: "pem", cert: e.files.chain ?? e.files.crt, key: e.files.key, label: e.name };
  }
  if ("cert" in v) {
    const cert = await file("cert", "certificate file");
    return {
      kind: "pem",
      cert: v.chain ? await file("chain", "chain file") : cert,
      key: await file("key", "key file"),
      ...(v.chain ? { label: cert } : {}),
    };
  }
  if ("p12" in v) {
    return {
      kind: "p12",
      p12: await file("p12", "PKCS#12 file"),
      ...(v.password !== undefined ? { password: v.password as string } : {}),
    };
  }
  const store = await existingPath(ctx.source, {
    dir: ctx.dir,
    file: v.store as string,
    path: [...path, "store"],
    what: "certificate store",
    directory: true,
  });
  return {
    kind: "store",
    store,
    ...(v.subject !== undefined ? { subject: v.subject as string } : {}),
    ...(v.thumbprint !== undefined
      ? { thumbprint: thumbprints(v.thumbprint as string, [...path, "thumbprint"], ctx.source)[0] }
      : {}),
    ...(v.password !== undefined ? { password: v.password as string } : {}),
  };
}

// A trust entry is a file when it looks like a path, otherwise a PKI name.
function looksLikeFile(s: string): boolean {
  return /[/\\]/.test(s) || /\.(pem|crt|cer|der)$/i.test(s);
}

function resolveTrust(value: string | string[], path: YamlPath, ctx: Context): Promise<string[]> {
  return Promise.all(
    asList(value).map((item, i) => {
      const at = Array.isArray(value) ? [...path, i] : path;
      if (looksLikeFile(item)) {
        return existingPath(ctx.source, { dir: ctx.dir, file: item, path: at, what: "trust file" });
      }
      return Promise.resolve(pkiEntry(item, at, ctx, "trust").files.crt);
    }),
  );
}

/** Thumbprints normalised by the TLS layer, with its error moved to the scenario's line. */
export function thumbprints(
  value: string | string[],
  path: YamlPath,
  source: YamlSource,
): string[] {
  try {
    return parseThumbprints(value);
  } catch (e) {
    if (e instanceof InputError) throw source.error(path, e.detail, e.hint);
    throw e;
  }
}

function verifyOf(value: unknown, path: YamlPath, source: YamlSource): Verify {
  if (typeof value === "string") {
    if (value === "thumbprint") {
      throw source.error(
        path,
        "verify: thumbprint needs the accepted thumbprints",
        'write verify: { thumbprint: ["${pki.server.sha1}"] }',
      );
    }
    return { method: value as VerificationMethod };
  }
  const v = value as { method?: string; thumbprint?: string | string[]; checkHostname?: boolean };
  const method = v.method ?? (v.thumbprint !== undefined ? "thumbprint" : undefined);
  if (!method) {
    throw source.error(
      path,
      "verify needs a method or a thumbprint list",
      "e.g. verify: { method: chain, checkHostname: true }",
    );
  }
  if (method === "thumbprint") {
    if (v.thumbprint === undefined) {
      throw source.error(
        path,
        "verify: thumbprint needs the accepted thumbprints",
        "add thumbprint: [...]",
      );
    }
    const list = thumbprints(v.thumbprint, [...path, "thumbprint"], source);
    return { method, thumbprints: list, checkHostname: v.checkHostname };
  }
  if (v.thumbprint !== undefined) {
    throw source.error(
      [...path, "thumbprint"],
      `a thumbprint list with verify method '${method}' would be ignored`,
      "drop method (thumbprint is implied) or the list",
    );
  }
  return { method: method as VerificationMethod, checkHostname: v.checkHostname };
}
