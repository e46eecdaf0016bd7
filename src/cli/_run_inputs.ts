import { join } from "node:path";
import type { InputFile } from "../report/mod.ts";
import type { FoundSuites, Suite } from "../scenario/mod.ts";
import type { SecuritySettings } from "../security/mod.ts";

// A --pki folder is one 'dicomtls pki' wrote: a few dozen files. The walk stops well past
// that, so that a --pki pointed at a large tree delays the run by little.
const PKI_FILES_MAX = 5_000;
const PKI_DEPTH_MAX = 4;

/**
 * The files `run` reads that its command line names, so that no report path
 * replaces one (`--html own/s.yaml` destroyed the suite): the suites, the
 * other YAML files of a suite folder (a PKI spec, a variables file), the
 * `--vars` files and the files of `--pki` (a folder, or a spec).
 *
 * @example
 * ```ts
 * import { commandLineInputs } from "./_run_inputs.ts";
 * import { findSuites } from "../scenario/mod.ts";
 * const inputs = await commandLineInputs(await findSuites(["scenarios/demo"]), { vars: ["v.yaml"] });
 * ```
 */
export async function commandLineInputs(
  found: FoundSuites,
  values: { vars?: string[]; pki?: string },
): Promise<InputFile[]> {
  const inputs: InputFile[] = [
    ...found.files.map((path) => ({ path, what: "the suite" })),
    ...found.ignored.map(({ file }) => ({ path: file, what: "a YAML file of the suite folder" })),
    ...(values.vars ?? []).map((path) => ({ path, what: "the --vars file" })),
  ];
  if (values.pki !== undefined) {
    for (const path of await filesUnder(values.pki)) inputs.push({ path, what: "a file of --pki" });
  }
  return inputs;
}

/**
 * The files the loaded suites read: their PKI specs, the credentials of
 * both sides (certificates, keys, PKCS#12 files, trust anchors) and the
 * files to C-STORE.
 *
 * @example
 * ```ts
 * import { suiteInputs } from "./_run_inputs.ts";
 * import { loadSuites } from "../scenario/mod.ts";
 * const inputs = suiteInputs(await loadSuites(["scenarios/demo"]));
 * ```
 */
export function suiteInputs(suites: Suite[]): InputFile[] {
  const paths = new Map<string, string>();
  const add = (path: string | undefined, what: string) => {
    if (path && !paths.has(path)) paths.set(path, what);
  };
  for (const suite of suites) {
    for (const instance of suite.instances) {
      add(instance.pki?.spec, "the PKI spec");
      const reference = instance.sut.reference?.security;
      if (reference) credentials(reference).forEach((p) => add(p, "a credential of a suite"));
    }
    for (const c of suite.cases) {
      credentials(c.harness.security).forEach((p) => add(p, "a credential of a suite"));
      c.files.forEach((p) => add(p, "a file to C-STORE"));
    }
  }
  return [...paths].map(([path, what]) => ({ path, what }));
}

function credentials(security: SecuritySettings): string[] {
  const certificate = security.certificate;
  const own = certificate?.kind === "pem"
    ? [certificate.cert, certificate.key]
    : certificate?.kind === "p12"
    ? [certificate.p12]
    : [];
  return [...own, ...(security.ca ?? [])];
}

// The regular files of a folder, a few levels down, or the path itself when it is not a folder.
async function filesUnder(path: string, depth = 0, found: string[] = []): Promise<string[]> {
  const info = await Deno.stat(path).catch(() => undefined);
  if (!info?.isDirectory) {
    if (info?.isFile) found.push(path);
    return found;
  }
  if (depth > PKI_DEPTH_MAX) return found;
  try {
    for await (const e of Deno.readDir(path)) {
      if (found.length >= PKI_FILES_MAX) break;
      await filesUnder(join(path, e.name), depth + 1, found);
    }
  } catch {
    // An unreadable folder holds nothing a report could be written over unknowingly.
  }
  return found;
}
