/**
 * The shared test PKI: `fixtures/pki/NAME.yaml` generated once into a cache
 * folder (`$TMPDIR/dicomtls-test-pki/NAME`) and reused by every test file;
 * the generator's own cache makes repeat calls cheap.
 */
import { join } from "node:path";
import { generatePki, type PkiResult } from "../src/pki/mod.ts";

export type { PkiResult };

const pending = new Map<string, Promise<PkiResult>>();

/**
 * Generates (or reuses) the PKI of `fixtures/pki/<name>.yaml`.
 *
 * @example
 * ```ts
 * const pki = await testPki();
 * const cert = pkiFile(pki, "client", "crt");
 * ```
 */
export function testPki(name = "standard"): Promise<PkiResult> {
  let result = pending.get(name);
  if (!result) {
    result = generateShared(name);
    pending.set(name, result);
  }
  return result;
}

async function generateShared(name: string): Promise<PkiResult> {
  const spec = new URL(`../fixtures/pki/${name}.yaml`, import.meta.url).pathname;
  const out = join(Deno.env.get("TMPDIR") ?? "/tmp", "dicomtls-test-pki", name);
  // Test files run in parallel processes: a concurrent writer can win the
  // final rename; the next attempt then reuses what it wrote.
  for (let attempt = 1;; attempt++) {
    try {
      return await generatePki({ spec, out });
    } catch (e) {
      if (attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** File kinds of a PKI entry: `chain` is the certificate followed by its intermediates. */
export type PkiFileKind = "crt" | "key" | "der" | "p12" | "chain" | "crl";

/**
 * The absolute path of an entry's file, e.g. `pkiFile(pki, "server", "key")`.
 * Throws when the entry or that file does not exist (e.g. `crl` of a certificate).
 *
 * @example
 * ```ts
 * const pki = await testPki();
 * pkiFile(pki, "root", "crt"); // "/tmp/dicomtls-test-pki/standard/root.crt"
 * ```
 */
export function pkiFile(result: PkiResult, name: string, ext: PkiFileKind): string {
  const entry = result.manifest.entries.find((e) => e.name === name);
  if (!entry) throw new Error(`PKI ${result.dir} has no entry '${name}'`);
  const file = entry.files[ext];
  if (!file) throw new Error(`PKI entry '${name}' has no ${ext} file`);
  return join(result.dir, file);
}
