/**
 * The shared test PKI: `fixtures/pki/NAME.yaml` generated once into a cache
 * folder (`$TMPDIR/dicomtls-test-pki/NAME`) and reused by every test file;
 * the generator's own cache makes repeat calls cheap.
 *
 * @module
 */
import { join } from "node:path";
import { generatePkiShared, type PkiResult } from "../pki/mod.ts";

export type { PkiResult };

const pending = new Map<string, Promise<PkiResult>>();

/**
 * Generates (or reuses) the PKI of `fixtures/pki/<name>.yaml`.
 *
 * @example
 * ```ts
 * import { pkiFile, testPki } from "./pki.ts";
 * const pki = await testPki();
 * const cert = pkiFile(pki, "client", "crt");
 * ```
 */
export function testPki(name = "standard"): Promise<PkiResult> {
  let result = pending.get(name);
  if (!result) {
    // Test files run in parallel processes: one generates at a time, the others reuse it.
    const spec = new URL(`../../fixtures/pki/${name}.yaml`, import.meta.url).pathname;
    result = generatePkiShared({
      spec,
      out: join(Deno.env.get("TMPDIR") ?? "/tmp", "dicomtls-test-pki", name),
    });
    pending.set(name, result);
  }
  return result;
}

/** File kinds of a PKI entry: `chain` is the certificate followed by its intermediates. */
export type PkiFileKind = "crt" | "key" | "der" | "p12" | "chain" | "crl";

/**
 * The absolute path of an entry's file, e.g. `pkiFile(pki, "server", "key")`.
 * Throws when the entry or that file does not exist (e.g. `crl` of a certificate).
 *
 * @example
 * ```ts
 * import { pkiFile, testPki } from "./pki.ts";
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

/**
 * The command-line options of `dicomtls echo`/`store` for the PKI's
 * `client`, trusting its `root`.
 *
 * @example
 * ```ts
 * import { clientTlsArgs, testPki } from "./pki.ts";
 * const args = ["echo", "127.0.0.1:11112", "--called", "X", ...clientTlsArgs(await testPki())];
 * ```
 */
export function clientTlsArgs(pki: PkiResult): string[] {
  return [
    "--cert",
    pkiFile(pki, "client", "crt"),
    "--key",
    pkiFile(pki, "client", "key"),
    "--ca",
    pkiFile(pki, "root", "crt"),
  ];
}
