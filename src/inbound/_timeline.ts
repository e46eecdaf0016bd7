import type { Stage, StageTiming } from "../outcome/mod.ts";

/** The stages of one connection, each from the end of the previous one. */
export class Timeline {
  readonly stages: StageTiming[] = [];
  #last: number;
  /** A timeline starting at `origin` (`performance.now()`). */
  constructor(readonly origin: number) {
    this.#last = origin;
  }
  /** Ends `stage` now, or `durationMs` after the previous stage ended. */
  mark(stage: Stage, durationMs?: number): void {
    const end = durationMs === undefined ? performance.now() : this.#last + durationMs;
    this.stages.push({
      stage,
      startMs: round(this.#last - this.origin),
      durationMs: round(end - this.#last),
    });
    this.#last = end;
  }
  /** Stretches a recorded stage to end now (a refusal that came late ends it). */
  extend(stage: Stage): void {
    const t = this.stages.find((s) => s.stage === stage);
    if (!t) return;
    this.#last = performance.now();
    t.durationMs = round(this.#last - this.origin - t.startMs);
  }
}

/** Milliseconds to one decimal, as reports show them. */
export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Milliseconds left until `deadline` (`performance.now()`), at least 1. */
export function remaining(ctx: { deadline: number }): number {
  return Math.max(1, Math.round(ctx.deadline - performance.now()));
}
