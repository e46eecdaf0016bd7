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

/** A check of the target: whether it passed, in words. */
export type TargetCheck = () => Promise<{ ok: boolean; message: string }>;

/**
 * Watches a target that passed its sanity check: the first case that does
 * not reach it, or that it left without a word (a reset, a close without an
 * alert or a PDU), makes the runner check it again; when that check fails,
 * the target is gone, and every case not yet run is an error without
 * trying (a dead SUT is never a verdict).
 *
 * A word-less end after the TLS handshake completed (no alert, no
 * A-ASSOCIATE-RJ or A-ABORT) is checked with the suite's trusted
 * association instead: a TLS front whose DICOM backend died (stunnel, a
 * load balancer) still completes handshakes and closes each connection just
 * so, which is also how a TLS 1.3 server refuses a client certificate. Only
 * while the target still completes the trusted association is that close a
 * refusal; a suite without a trusted case cannot tell the two apart.
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
  #recheck: TargetCheck;
  #trustedCheck?: () => TargetCheck | undefined;
  #trusted?: { check?: TargetCheck };
  #checking = new Map<TargetCheck, Promise<void>>();

  /**
   * Watches the target of `cases` (in run order), checking it again with
   * `recheck`; `tcpOnly` when that check is TCP alone; `trusted`, the
   * check by the suite's trusted association for ends after the handshake
   * (undefined without a trusted case), looked up once, when first needed.
   */
  constructor(options: {
    cases: readonly Case[];
    recheck: TargetCheck;
    tcpOnly?: boolean;
    trusted?: () => TargetCheck | undefined;
  }) {
    this.tcpOnly = options.tcpOnly ?? false;
    this.#cases = new Map(options.cases.map((c, i) => [c.id, i + 1]));
    this.#recheck = options.recheck;
    this.#trustedCheck = options.trusted;
  }

  /**
   * A case's conversation ended without a word from the target (`why`, see
   * whyUnanswered; `afterHandshake` when it ended so after the TLS handshake
   * completed): checks the target again (once, however many cases report at
   * the same time), with the trusted association after a handshake. Returns
   * the case's error message when its end is no verdict (the target is
   * gone, or nothing shows it is not), undefined when the target still
   * answers.
   */
  async recheck(
    c: Case,
    why: string,
    options: { afterHandshake?: boolean } = {},
  ): Promise<string | undefined> {
    const trusted = options.afterHandshake ? this.#trustedAssociation() : undefined;
    await this.#check(
      c,
      trusted ?? this.#recheck,
      trusted ? "stopped completing the trusted association" : "stopped answering",
    );
    if (this.gone) return `${this.gone.message}; this case: ${why}`;
    if (options.afterHandshake && !trusted && !this.tcpOnly) {
      return `the target closed after the TLS handshake without a word (${why}), and the suite ` +
        "has no trusted case (one expecting `echo: success` or `association: accepted`) to check " +
        "it with: a TLS front whose DICOM backend is down does the same, so this is not a verdict " +
        "on the target (add a trusted case)";
    }
    return undefined;
  }

  #trustedAssociation(): TargetCheck | undefined {
    this.#trusted ??= { check: this.#trustedCheck?.() };
    return this.#trusted.check;
  }

  async #check(c: Case, check: TargetCheck, stopped: string): Promise<void> {
    if (this.gone) return;
    const n = this.#cases.get(c.id) ?? 0;
    let checking = this.#checking.get(check);
    if (!checking) {
      checking = check().then((r) => {
        if (!r.ok && !this.gone) {
          this.gone = {
            atCase: n,
            caseName: c.name,
            message: `the target ${stopped} at case ${n} (${c.name}): ${r.message}`,
          };
        }
      }).finally(() => this.#checking.delete(check));
      this.#checking.set(check, checking);
    }
    await checking;
  }
}
