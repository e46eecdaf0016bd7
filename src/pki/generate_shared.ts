import { dirname } from "node:path";
import { generatePki, type GeneratePkiOptions, type PkiResult } from "./generate.ts";

/**
 * {@linkcode generatePki} into a cache that other processes share (the
 * scenario PKI cache, the tests' PKIs): one process at a time, under an
 * exclusive lock on `OUT.lock` beside the folder, so that none replaces
 * files another has begun to use; the next one reuses them. Two runs started
 * together on a cold cache otherwise mixed each other's keys and
 * certificates (10 demo cases FAILed). The lock file stays: removing it
 * would let a waiting process lock a file nobody else sees.
 *
 * @example
 * ```ts
 * import { generatePkiShared } from "./generate_shared.ts";
 * const pki = await generatePkiShared({ spec: "fixtures/pki/demo.yaml", out: "/tmp/cache/demo" });
 * pki.dir; // "/tmp/cache/demo"
 * ```
 */
export async function generatePkiShared(options: GeneratePkiOptions): Promise<PkiResult> {
  await Deno.mkdir(dirname(options.out), { recursive: true });
  const lock = await Deno.open(`${options.out}.lock`, { create: true, write: true, mode: 0o600 });
  try {
    await lock.lock(true);
    return await generatePki(options);
  } finally {
    lock.close(); // closing releases the lock
  }
}
