import { basename, join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { generatePki, KEY_TYPES, loadPkiSpec, type PkiEntry } from "../pki/mod.ts";

/** A generated PKI as a suite uses it: entries by name with absolute file paths. */
export interface SuitePki {
  spec: string;
  dir: string;
  password: string;
  entries: Map<string, PkiEntry>;
  /** `${pki.NAME.FIELD}` values. */
  fields: Record<string, Partial<Record<string, string>>>;
}

// One generation per spec and key type per process: every suite naming the
// same spec shares it.
const memo = new Map<string, Promise<SuitePki>>();

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
  // Validate the spec as written first, so errors point at the user's file.
  await loadPkiSpec(spec);
  const stem = basename(spec).replace(/\.ya?ml$/, "");
  const out = join(cacheDir, `${stem}-${key ?? "default"}-${await shortHash(spec)}`);
  let source = spec;
  // The cache holds private keys (and may hold a derived spec with the password): 0700.
  await Deno.mkdir(cacheDir, { recursive: true, mode: 0o700 });
  if (key) {
    const doc = parseDocument(await Deno.readTextFile(spec));
    doc.setIn(["defaults", "key"], key);
    source = `${out}.spec.yaml`;
    await writePrivateFile(source, doc.toString());
  }
  const { dir, manifest, password } = await generatePki({ spec: source, out });
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
      password,
    };
  }
  return { spec, dir, password, entries, fields };
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
