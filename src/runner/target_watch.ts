import type { Case } from "../scenario/mod.ts";

/** When and why a target stopped answering during a run. */
export interface TargetGone {
  /** The 1-based number of the case that first did not reach it. */
  atCase: number;
  /** That case's name. */
  caseName: string;
  /** The whole story in one line, for every case not run. */
  message: string;
}

/**
 * Watches a target that passed its sanity check: the first case that does
 * not reach it, or that it left without a word (a reset, a close without an
 * alert or a PDU), makes the runner check it again; when that check fails,
 * the target is gone, and every case not yet run is an error without
 * trying (a dead SUT is never a verdict).
 *
 * @example
 * ```ts
 * import { TargetWatch } from "./target_watch.ts";
 * const watch = new TargetWatch({
 *   cases: [],
 *   recheck: () => Promise.resolve({ ok: false, message: "TCP refused at 127.0.0.1:11112" }),
 * });
 * watch.gone; // undefined until a case does not reach the target
 * ```
 */
export class TargetWatch {
  /** Set once the target failed its second check; undefined while it answers. */
  gone?: TargetGone;
  /**
   * The re-check shows only that the target accepts TCP (its TLS sanity
   * check failed): a mute port passes it, so a conversation in which the
   * target said nothing cannot be judged on it.
   */
  readonly tcpOnly: boolean;
  #cases: Map<string, number>;
  #recheck: () => Promise<{ ok: boolean; message: string }>;
  #checking?: Promise<void>;

  /**
   * Watches the target of `cases` (in run order), checking it again with
   * `recheck`; `tcpOnly` when that check is TCP alone.
   */
  constructor(options: {
    cases: readonly Case[];
    recheck: () => Promise<{ ok: boolean; message: string }>;
    tcpOnly?: boolean;
  }) {
    this.tcpOnly = options.tcpOnly ?? false;
    this.#cases = new Map(options.cases.map((c, i) => [c.id, i + 1]));
    this.#recheck = options.recheck;
  }

  /**
   * A case's conversation ended without a word from the target (`why`, see
   * whyUnanswered): checks the target again (once, however many cases report
   * at the same time). Returns the case's error message when the target is
   * gone, undefined when it still answers.
   */
  async recheck(c: Case, why: string): Promise<string | undefined> {
    const n = this.#cases.get(c.id) ?? 0;
    if (!this.gone) {
      this.#checking ??= this.#recheck().then((r) => {
        if (!r.ok && !this.gone) {
          this.gone = {
            atCase: n,
            caseName: c.name,
            message: `the target stopped answering at case ${n} (${c.name}): ${r.message}`,
          };
        }
      }).finally(() => (this.#checking = undefined));
      await this.#checking;
    }
    return this.gone ? `${this.gone.message}; this case: ${why}` : undefined;
  }
}
