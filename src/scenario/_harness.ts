import { closest, InputError, type YamlPath, type YamlSource } from "../yaml/mod.ts";
import { parseThumbprints } from "../tls/thumbprint.ts";
import type { SuitePki } from "./_pki.ts";
import { asList, existingPath } from "./_walk.ts";
import type {
  HarnessCertificate,
  HarnessSettings,
  HarnessTlsVersion,
  VerifyPolicy,
} from "./types.ts";

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

const VERSIONS: HarnessTlsVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

/**
 * Merges harness layers (each key of a later layer replaces the earlier) and
 * resolves PKI names, files and thumbprints, with errors at the key's line.
 */
export async function resolveHarness(
  layers: HarnessLayer[],
  options: Context & { calledAe: string },
): Promise<HarnessSettings> {
  // The value of each key and the path it came from.
  const pick = (key: string): [unknown, YamlPath] | undefined => {
    for (const layer of [...layers].reverse()) {
      if (layer.value[key] !== undefined) return [layer.value[key], [...layer.path, key]];
    }
  };
  const { source } = options;
  const trustAt = pick("trust");
  const trust = trustAt
    ? await resolveTrust(trustAt[0] as string | string[], trustAt[1], options)
    : [];
  const verifyAt = pick("verify");
  const [verify, hostnameInVerify] = verifyAt
    ? verifyPolicy(verifyAt[0], verifyAt[1], source)
    : [{ method: trust.length ? "chain" : "none" } as VerifyPolicy, undefined];
  if (verify.method === "chain" && trust.length === 0) {
    throw source.error(
      verifyAt![1],
      "verify: chain needs trust anchors, but the harness trusts nothing",
      "add trust: [root] (PKI names or PEM files), or use verify: none",
    );
  }
  const certAt = pick("certificate");
  const tlsAt = pick("tls");
  const tls = tlsAt?.[0] as HarnessSettings["tls"];
  if (tls?.min && tls.max && VERSIONS.indexOf(tls.min) > VERSIONS.indexOf(tls.max)) {
    throw source.error(
      [...tlsAt![1], "min"],
      `tls.min ${tls.min} is above tls.max ${tls.max}`,
      "swap them, or drop one",
    );
  }
  return {
    callingAe: (pick("ae")?.[0] as string | undefined) ?? "DICOMTLS",
    calledAe: (pick("calledAe")?.[0] as string | undefined) ?? options.calledAe,
    certificate: certAt
      ? await resolveCertificate(certAt[0], certAt[1], options)
      : { kind: "none" },
    trust,
    verify,
    checkHostname: hostnameInVerify ?? (pick("checkHostname")?.[0] as boolean | undefined) ?? false,
    ...(tls ? { tls } : {}),
  };
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
    near ? `did you mean '${near}'?` : `the PKI ${ctx.pki.spec} has: ${names.join(", ")}`,
  );
}

async function resolveCertificate(
  value: unknown,
  path: YamlPath,
  ctx: Context,
): Promise<HarnessCertificate> {
  const file = (key: string, what: string) =>
    existingPath(ctx.source, { dir: ctx.dir, file: v[key] as string, path: [...path, key], what });
  const v = value as Record<string, unknown>;
  if (value === "none") return { kind: "none" };
  if (typeof value === "string") {
    const e = pkiEntry(value, path, ctx, "certificate");
    return {
      kind: "pem",
      cert: e.files.crt,
      key: e.files.key,
      ...(e.files.chain ? { chain: e.files.chain } : {}),
      pkiName: e.name,
      sha1: e.sha1,
      sha256: e.sha256,
      subject: e.subject,
    };
  }
  if ("cert" in v) {
    return {
      kind: "pem",
      cert: await file("cert", "certificate file"),
      key: await file("key", "key file"),
      ...(v.chain ? { chain: await file("chain", "chain file") } : {}),
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

function verifyPolicy(
  value: unknown,
  path: YamlPath,
  source: YamlSource,
): [VerifyPolicy, boolean | undefined] {
  if (typeof value === "string") {
    if (value === "thumbprint") {
      throw source.error(
        path,
        "verify: thumbprint needs the accepted thumbprints",
        'write verify: { thumbprint: ["${pki.server.sha1}"] }',
      );
    }
    return [{ method: value as "none" | "chain" }, undefined];
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
    return [{ method, thumbprints: list }, v.checkHostname];
  }
  if (v.thumbprint !== undefined) {
    throw source.error(
      [...path, "thumbprint"],
      `a thumbprint list with verify method '${method}' would be ignored`,
      "drop method (thumbprint is implied) or the list",
    );
  }
  return [{ method: method as "none" | "chain" }, v.checkHostname];
}
