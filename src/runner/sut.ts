import { type RunningProcess, startProcess } from "../process/mod.ts";
import type { Suite, SuiteInstance } from "../scenario/mod.ts";

/** A suite instance's SUT once started (or already running): where it listens, how to stop it. */
export interface StartedSut {
  port: number;
  /** What it printed (empty when we did not start it). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts the SUT of a suite instance when the suite says how (`start:`),
 * waits until it is ready, and returns how to reach and stop it. A SUT
 * without `start` is assumed running.
 *
 * @example
 * ```ts
 * const sut = await startSut(suite.instances[0], suite);
 * try { ... } finally { await sut.stop(); }
 * ```
 */
export async function startSut(instance: SuiteInstance, _suite: Suite): Promise<StartedSut> {
  const start = instance.sut.start;
  if (!start) return { port: instance.sut.port, log: () => "", stop: () => Promise.resolve() };
  const proc: RunningProcess = await startProcess(start);
  return { port: instance.sut.port, log: proc.log, stop: () => proc.stop() };
}
