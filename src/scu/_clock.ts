import type { Stage, StageTiming } from "../outcome/mod.ts";

/**
 * The time of one conversation: its deadline, and the timeline of its
 * stages (each starts where the previous one ended).
 */
export class StageClock {
  readonly origin = performance.now();
  readonly timeline: StageTiming[] = [];
  #deadline: number;
  #stageStart = this.origin;

  constructor(timeoutMs: number) {
    this.#deadline = this.origin + timeoutMs;
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
