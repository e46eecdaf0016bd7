import { basename, join, resolve } from "node:path";
import { parseDocument } from "yaml";
import {
  generatePkiShared,
  KEY_TYPES,
  loadPkiSpec,
  type PkiEntry,
  type PkiManifest,
  pkiPassword,
  readManifest,
} from "../pki/mod.ts";
import { InputError } from "../yaml/input_error.ts";
import { fileSystemReason } from "../yaml/os_error.ts";
import type { YamlSource } from "../yaml/source.ts";
import { interpolate, type InterpolationContext } from "./interpolate.ts";
import { displayPath } from "./_walk.ts";

/** A generated PKI as a suite uses it: entries by name with absolute file paths. */
export interface SuitePki {
  /** The spec it was generated from (absolute). */
  spec: string;
  /** The folder of its files (absolute): the cache, or a folder `dicomtls pki` wrote. */
  dir: string;
  /** Set when `dir` is a folder `dicomtls pki` wrote, named by `pki:` or `--pki` (not the cache). */
  folder?: true;
  /** The .p12 password; undefined when the spec it names is gone (a folder moved elsewhere). */
  password?: string;
  entries: Map<string, PkiEntry>;
  /** `${pki.NAME.FIELD}` values. */
  fields: Record<string, Partial<Record<string, string>>>;
}

// One generation per spec and key type per process: every suite naming the
// same spec shares it.
const memo = new Map<string, Promise<SuitePki>>();

/** What {@linkcode loadSuitePki} needs: the suite as parsed and where its PKI may come from. */
export interface SuitePkiOptions {
  source: YamlSource;
  /** The suite's folder: a relative `pki:` resolves from here. */
  dir: string;
  context: InterpolationContext;
  /** `--pki PATH` (relative to the working folder): replaces the suite's `pki:`. */
  override?: string;
  cacheDir: string;
}

/**
 * The suite's PKI for one matrix entry: `--pki` when given, else its `pki:`
 * (a spec, generated into the cache, or a folder `dicomtls pki` wrote, used
 * as it is), else none. Problems are {@linkcode InputError}s at the `pki:`
 * line (or naming `--pki`).
 */
export async function loadSuitePki(options: SuitePkiOptions): Promise<SuitePki | undefined> {
  const { source, context } = options;
  const key = context.matrix?.key;
  const written = (source.value as { pki?: unknown }).pki;
  if (options.override === undefined && written === undefined) return undefined;
  if (key !== undefined && !isKeyType(key)) {
    throw source.error(
      ["matrix", "key"],
      `matrix key '${key}' is not a key type`,
      "the matrix variable 'key' sets the PKI's default key type: rsa-1024/2048/3072/4096, ec-p256/p384/p521",
    );
  }
  const given = options.override ??
    interpolate(written, { source, path: ["pki"], context }) as string;
  const at = {
    path: options.override === undefined ? resolve(options.dir, given) : resolve(given),
    flag: options.override !== undefined,
  };
  const problem = (message: string, hint: string) =>
    at.flag
      ? new InputError({ message: `--pki ${options.override}: ${message}`, hint })
      : source.error(["pki"], message, hint);
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(at.path);
  } catch {
    if (at.flag) {
      throw new InputError({
        message: `--pki ${given}: no such folder (looked for ${displayPath(at.path)})`,
        hint: "give the folder 'dicomtls pki SPEC --out DIR' wrote (or a PKI spec)",
      });
    }
    throw problem(
      `PKI '${given}' does not exist (looked for ${displayPath(at.path)})`,
      "name a PKI spec (YAML) or a folder 'dicomtls pki' wrote, relative to the scenario file's folder; or give --pki DIR",
    );
  }
  if (!stat.isDirectory) {
    try {
      return await suitePki({ spec: at.path, key, cacheDir: options.cacheDir });
    } catch (e) {
      // A spec not read at all (endless, too large, unreadable) is the suite's problem, at 'pki:'.
      if (e instanceof InputError && e.location?.file && e.location.line === undefined) {
        throw problem(`PKI spec '${given}': ${e.detail}`, e.hint ?? "");
      }
      throw e;
    }
  }
  if (key !== undefined) {
    throw problem(
      `the matrix variable 'key' regenerates the PKI with another key type, but ${
        displayPath(at.path)
      } is a generated folder`,
      "name the spec instead, or drop 'key' from the matrix",
    );
  }
  try {
    return await folderPki(at.path);
  } catch (e) {
    if (e instanceof InputError) throw problem(e.detail, e.hint ?? "");
    throw e;
  }
}

/** The cache folder: $XDG_CACHE_HOME/dicomtls/pki, else ~/.cache/dicomtls/pki. */
export function defaultPkiCacheDir(): string {
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  const home = Deno.env.get("HOME");
  if (xdg) return join(xdg, "dicomtls", "pki");
  if (home) return join(home, ".cache", "dicomtls", "pki");
  return join(Deno.env.get("TMPDIR") ?? "/tmp", "dicomtls-pki");
}

/** Whether `key` is a key type a PKI spec accepts. */
export function isKeyType(key: string): boolean {
  return (KEY_TYPES as readonly string[]).includes(key);
}

/**
 * Generates (or reuses from the cache) the PKI of `spec`, with the spec's
 * default key type replaced by `key` when a matrix asks for one.
 */
export function suitePki(
  options: { spec: string; key?: string; cacheDir: string },
): Promise<SuitePki> {
  const spec = resolve(options.spec);
  const memoKey = `${spec}\0${options.key ?? ""}\0${options.cacheDir}`;
  let found = memo.get(memoKey);
  if (!found) {
    found = generate(spec, options.key, options.cacheDir);
    memo.set(memoKey, found);
    found.catch(() => memo.delete(memoKey));
  }
  return found;
}

async function generate(
  spec: string,
  key: string | undefined,
  cacheDir: string,
): Promise<SuitePki> {
  // Validate the spec as written first, so errors point at the user's file, as the user reads its path.
  await loadPkiSpec(displayPath(spec));
  const stem = basename(spec).replace(/\.ya?ml$/, "");
  const out = join(cacheDir, `${stem}-${key ?? "default"}-${await shortHash(spec)}`);
  let source = spec;
  // The cache holds private keys (and may hold a derived spec with the password): 0700.
  await usableCache(cacheDir);
  if (key) {
    const doc = parseDocument(await Deno.readTextFile(spec));
    doc.setIn(["defaults", "key"], key);
    source = `${out}.spec.yaml`;
    await writePrivateFile(source, doc.toString());
  }
  // Other runs may share the cache (shards started together).
  const { dir, manifest, password } = await generatePkiShared({ spec: source, out });
  return { ...byName(dir, manifest, password), spec, dir, password };
}

// The cache folder, made when missing and written to once: its problem is bad input
// (--pki-cache, or the environment that chose the default), not our bug.
async function usableCache(cacheDir: string) {
  try {
    await Deno.mkdir(cacheDir, { recursive: true, mode: 0o700 });
    await Deno.remove(await Deno.makeTempDir({ dir: cacheDir, prefix: ".probe-" }));
  } catch (e) {
    const reason = fileSystemReason(e);
    if (reason === undefined) throw e;
    throw new InputError({
      message: `cannot use ${cacheDir} as the PKI cache: ${reason}`,
      hint: cacheDir === defaultPkiCacheDir()
        ? "it is the default ($XDG_CACHE_HOME/dicomtls/pki, else ~/.cache/dicomtls/pki): " +
          "repair it, or give --pki-cache a folder you may write to"
        : "give --pki-cache a folder you may write to",
    });
  }
}

/**
 * A PKI folder `dicomtls pki` wrote (the one a device already trusts), read
 * from its `manifest.json`; nothing is generated. An {@linkcode InputError}
 * when the folder holds no manifest.
 */
export function folderPki(dir: string): Promise<SuitePki> {
  const full = resolve(dir);
  const memoKey = `folder\0${full}`;
  let found = memo.get(memoKey);
  if (!found) {
    found = readFolder(full);
    memo.set(memoKey, found);
    found.catch(() => memo.delete(memoKey));
  }
  return found;
}

async function readFolder(dir: string): Promise<SuitePki> {
  let manifest: PkiManifest;
  try {
    manifest = await readManifest(dir);
  } catch (e) {
    const missing = e instanceof Deno.errors.NotFound;
    throw new InputError({
      message: missing
        ? `${dir} has no manifest.json: it is not a PKI folder 'dicomtls pki' wrote`
        : `cannot read ${dir}/manifest.json: ${(e as Error).message}`,
      hint: "generate it with 'dicomtls pki SPEC.yaml --out DIR', or name the spec itself",
    });
  }
  // The manifest holds no password: it comes from the spec (or is the default).
  const password = await pkiPassword(manifest).catch(() => undefined);
  return { ...byName(dir, manifest, password), spec: manifest.spec, dir, folder: true, password };
}

function byName(dir: string, manifest: PkiManifest, password: string | undefined) {
  const entries = new Map<string, PkiEntry>();
  const fields: SuitePki["fields"] = {};
  for (const e of manifest.entries) {
    const files = Object.fromEntries(
      Object.entries(e.files).map(([k, v]) => [k, v === undefined ? v : join(dir, v)]),
    ) as PkiEntry["files"];
    entries.set(e.name, { ...e, files });
    fields[e.name] = {
      ...files,
      sha1: e.sha1,
      sha256: e.sha256,
      subject: e.subject,
      ...(password === undefined ? {} : { password }),
    };
  }
  return { entries, fields };
}

// Created 0600 under a temporary name and renamed: never readable by others, not even briefly.
async function writePrivateFile(path: string, text: string) {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text, { createNew: true, mode: 0o600 });
    await Deno.rename(tmp, path);
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}

async function shortHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}
