import type { Stage, StageTiming } from "../outcome/mod.ts";
import { AssociationTimeout } from "../ul/mod.ts";

/**
 * The time of one conversation: its deadline, and the timeline of its
 * stages (each starts where the previous one ended).
 */
export class StageClock {
  readonly origin = performance.now();
  readonly timeline: StageTiming[] = [];
  #deadline: number;
  #stageStart = this.origin;

  constructor(readonly timeoutMs: number) {
    this.#deadline = this.origin + timeoutMs;
  }

  /**
   * A failure's words, with the reason when a wait ran out because the whole
   * conversation's time did: cut to the few milliseconds left, "Timed out
   * after 20 ms in Sta6" would read as the peer's slowness.
   */
  failureWords(e: unknown): string {
    const message = (e as Error)?.message ?? String(e);
    if (!(e instanceof AssociationTimeout) || performance.now() < this.#deadline - 1) {
      return message;
    }
    const limit = this.timeoutMs >= 1000 ? `${this.timeoutMs / 1000} s` : `${this.timeoutMs} ms`;
    return `${message}: the conversation's time limit (${limit}) ran out; raise --timeout, or the case's timeout`;
  }

  /** performance.now() by which the conversation ends: every wait of it ends by then. */
  get deadline(): number {
    return this.#deadline;
  }

  /** Milliseconds left until the deadline, at least 1. */
  remaining(): number {
    return Math.max(1, Math.round(this.#deadline - performance.now()));
  }

  /** Milliseconds since the conversation began. */
  elapsed(): number {
    return round(performance.now() - this.origin);
  }

  /** Ends `stage` now; the next stage starts here. */
  mark(stage: Stage): void {
    const now = performance.now();
    this.timeline.push({
      stage,
      startMs: round(this.#stageStart - this.origin),
      durationMs: round(now - this.#stageStart),
    });
    this.#stageStart = now;
  }

  /** Records a stage that ran from the origin for `durationMs`, and starts the next after it. */
  markFromOrigin(stage: Stage, durationMs: number): void {
    this.timeline.push({ stage, startMs: 0, durationMs: round(durationMs) });
    this.#stageStart = this.origin + durationMs;
  }

  /** Stretches a recorded stage to end now (a refusal that came late ends it). */
  extend(stage: Stage): void {
    const t = this.timeline.find((s) => s.stage === stage);
    if (t) t.durationMs = round(performance.now() - this.origin - t.startMs);
  }
}

/** Milliseconds to one decimal, as reports show them. */
export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
