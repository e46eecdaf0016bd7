import { resolveAeConfig } from "../reference_ae/config.ts";
import { startReferenceAe } from "../reference_ae/server.ts";
import { type RunningProcess, startProcess } from "../process/mod.ts";
import type { SuiteInstance } from "../scenario/mod.ts";

/** A suite instance's SUT once started (or already running): where it listens, how to stop it. */
export interface StartedSut {
  /** The port it listens on (the one picked when the suite said 0). */
  port: number;
  /** What it printed or logged (empty when we did not start it). */
  log(): string;
  /**
   * Stops it (a process by PID, the reference AE in-process); nothing for a SUT we did not start.
   */
  stop(): Promise<void>;
}

/**
 * Starts the SUT of a suite instance when the suite says how: a program
 * (`start: { command }`, waited for and stopped by PID) or our reference AE
 * in-process (`start: { reference }`, on the SUT's port, 0 for a free one).
 * A SUT without `start` is assumed running.
 *
 * @example
 * ```ts
 * import { startSut } from "./sut.ts";
 * import type { Suite } from "../scenario/mod.ts";
 * declare const suite: Suite;
 * const sut = await startSut(suite.instances[0]);
 * try {
 *   console.log(`SUT listening on ${sut.port}`);
 * } finally {
 *   await sut.stop();
 * }
 * ```
 */
export async function startSut(instance: SuiteInstance): Promise<StartedSut> {
  const { start, reference, port, host, ae } = instance.sut;
  if (reference) {
    const lines: string[] = [];
    const server = await startReferenceAe({
      config: resolveAeConfig(reference, { port, host, ae }),
      // Keep a bounded tail: a 2,000-case run logs 2,000 lines.
      onLog: (entry) => lines.push(JSON.stringify(entry)) > 200 && lines.shift(),
    });
    return {
      port: server.port,
      log: () => lines.join("\n"),
      stop: () => server.close({ graceMs: 500 }),
    };
  }
  if (!start) return { port, log: () => "", stop: () => Promise.resolve() };
  const proc: RunningProcess = await startProcess(start);
  return { port, log: proc.log, stop: () => proc.stop() };
}
