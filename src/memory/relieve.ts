import process from "node:process";
import v8 from "node:v8";
import vm from "node:vm";

// Each TLS connection holds native memory (rustls state, sockets) that Deno
// does not report to V8, so V8 sees little heap pressure and runs a full
// collection rarely: over a 2,000-case run that memory piled up by about
// 50 kB per case. A full collection whenever the resident size has grown by
// GROWTH_BYTES since the last one returns it (measured: peak RSS of a
// 2,000-case run down by about a third, at a few ms per collection).
// V8's gc() is not exposed without --expose-gc; setting the flag at run time
// exposes it in contexts created afterwards (a known Node.js technique).
const GROWTH_BYTES = 24 * 1024 * 1024;
let collect: (() => void) | null | undefined;
// The resident size after the last collection; the first call only records
// it, so a fresh process does not pay a full collection (and the collector's
// set-up, about 50 ms) on its first case or connection.
let baseline: number | undefined;

function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      collect = vm.runInNewContext("gc") as () => void;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/**
 * Runs a full garbage collection when the process's resident size has grown
 * by 24 MB since the last one, or since the first call (or when `force`); a
 * no-op where the collector cannot be reached. Cheap to call after every case
 * or report.
 *
 * @example
 * ```ts
 * import { relieveMemory } from "./relieve.ts";
 * declare function runCase(name: string): Promise<string>;
 * const results: string[] = [];
 * for (const c of ["expired client", "untrusted client"]) {
 *   results.push(await runCase(c));
 *   relieveMemory();
 * }
 * ```
 */
export function relieveMemory(options: { force?: boolean } = {}): void {
  const rss = process.memoryUsage.rss();
  if (!options.force && (baseline === undefined || rss - baseline < GROWTH_BYTES)) {
    baseline ??= rss;
    return;
  }
  collector()?.();
  baseline = process.memoryUsage.rss();
}
