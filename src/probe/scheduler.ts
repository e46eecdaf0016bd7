import {
  buildClientHello,
  type ClientHelloOptions,
  probeHello,
  type ProbeResult,
} from "../tls/wire/mod.ts";

/** Options of {@linkcode HelloScheduler}. */
export interface HelloSchedulerOptions {
  /** The target host. */
  host: string;
  /** The target port. */
  port: number;
  /** Hellos in flight at most (the per-target limit); default 8. */
  concurrency?: number;
  /** Deadline of one hello (connect, send, answer); default 5000 ms. */
  timeoutMs?: number;
  /** Tries after the first when the target does not answer; default 3. */
  retries?: number;
  /** First pause before a retry, doubled per try up to `maxBackoffMs`; default 100 ms. */
  backoffMs?: number;
  /** Longest pause before a retry; default 4000 ms. */
  maxBackoffMs?: number;
  /** Hellos in a row that found no answer after every retry before the target counts as gone; default 6. */
  goneAfter?: number;
  /** Bytes read per hello at most; default 256 KiB (a certificate chain fits). */
  maxBytes?: number;
  /** Hellos between two askings of the control question (see `HelloScheduler.control`); default 50. */
  controlEvery?: number;
  /** Aborting it stops sending: hellos not yet sent end as unknown. */
  signal?: AbortSignal;
}

/**
 * A question whose answer must not change during a probe: a hello the
 * target accepted, and how to tell its answer again.
 */
export interface ControlQuestion {
  /** What it asks, for the report, e.g. "the TLSv1.2 hello". */
  asked: string;
  /** The hello, sent again as it was. */
  hello: ClientHelloOptions;
  /** The first answer in a few words, e.g. "ServerHello TLSv1.2 TLS_...". */
  expected: string;
  /** Undefined when `answer` is the same answer, else that answer in a few words. */
  differs(answer: HelloAnswer): string | undefined;
}

// Answers that show a TLS stack at work on the target.
const TLS_ANSWERS = new Set(["server-hello", "hello-retry-request", "alert", "invalid"]);

/** What one hello found: the server's answer, or why none could be had. */
export type HelloAnswer =
  | { status: "answered"; result: ProbeResult; tries: number }
  | { status: "unknown"; why: string; tries: number };

/** Counts of a scheduler's work, for the report. */
export interface SchedulerStats {
  /** Hellos sent, retries included. */
  hellos: number;
  /** Hellos sent again because the first try found no answer. */
  retries: number;
  /** The concurrency limit it started with. */
  limit: number;
  /** The lowest limit it backed off to. */
  lowestLimit: number;
  /** Set once the target stopped answering (see `goneAfter`). */
  gone?: string;
  /** Set once the control question got another answer (see `HelloScheduler.control`). */
  changed?: string;
}

/**
 * Sends ClientHellos to one target, at most `concurrency` at a time. A hello
 * that finds no answer (timeout, refused or reset TCP) is not a verdict: the
 * scheduler halves its limit, waits (doubling per try) and sends it again,
 * keeping its place among those in flight (a silent target is then found
 * gone after about one hello's tries); answers raise the limit back one
 * step at a time (AIMD, like TCP). Only
 * after `retries` more tries is a hello `unknown`; after `goneAfter` unknown
 * hellos in a row the target counts as gone and what is left ends unknown at
 * once. A server's answer (ServerHello, HelloRetryRequest, alert, a close
 * after reading the hello, bytes that are not TLS) is never retried; a close
 * without a byte counts only once the target answered TLS to a hello sent
 * after it (else it is `unknown`: a target that died refuses nothing).
 *
 * @example
 * ```ts
 * import { HelloScheduler } from "./scheduler.ts";
 * const scheduler = new HelloScheduler({ host: "127.0.0.1", port: 2762, concurrency: 8 });
 * const answer = await scheduler.send({ version: "TLSv1", cipherSuites: ["AES128-SHA"] });
 * if (answer.status === "answered") console.log(answer.result.status);
 * ```
 */
export class HelloScheduler {
  readonly #o: Required<Omit<HelloSchedulerOptions, "signal">> & { signal?: AbortSignal };
  #limit: number;
  #running = 0;
  #streak = 0;
  #goodSinceRaise = 0;
  readonly #queue: (() => void)[] = [];
  readonly #stats: SchedulerStats;
  /** Hellos started so far: a close at `after` is confirmed by a TLS answer to a later one. */
  #started = 0;
  /** Closes without a word waiting for a later TLS answer (see #closeStands). */
  #closes: { after: number; settle(stands: boolean): void }[] = [];
  /** The last hello that got a TLS answer: sent again to ask whether the target still answers. */
  #witness?: { hello: ClientHelloOptions; untilServerHelloDone: boolean };
  #checking = false;
  #control?: ControlQuestion;
  /** Control askings in flight, awaited by `recheck`. */
  readonly #controls = new Set<Promise<void>>();

  /** A scheduler for one target. */
  constructor(options: HelloSchedulerOptions) {
    this.#o = {
      concurrency: 8,
      timeoutMs: 5000,
      retries: 3,
      backoffMs: 100,
      maxBackoffMs: 4000,
      goneAfter: 6,
      maxBytes: 256 * 1024,
      controlEvery: 50,
      ...options,
    };
    this.#limit = Math.max(1, this.#o.concurrency);
    this.#stats = { hellos: 0, retries: 0, limit: this.#limit, lowestLimit: this.#limit };
  }

  /** The counts so far (a copy). */
  stats(): SchedulerStats {
    return { ...this.#stats };
  }

  /**
   * Sets the control question: from now on it is asked again every
   * `controlEvery` hellos and by {@linkcode HelloScheduler.recheck}. A TLS
   * answer that differs (an alert, a close, another choice where the target
   * first accepted) marks the target `changed` in the stats: a rate limit
   * or a restart under the probe, whose refusals are no facts about the
   * target's configuration. No answer at all changes nothing (it refuses
   * nothing either).
   */
  control(question: ControlQuestion): void {
    this.#control = question;
  }

  /**
   * Asks the control question once more, and each of `also` (questions
   * whose answer must not have changed either, asked only now), and waits
   * for every asking still in flight.
   */
  async recheck(also: readonly ControlQuestion[] = []): Promise<void> {
    for (const q of [this.#control, ...also]) this.#ask(q);
    while (this.#controls.size > 0) await Promise.all(this.#controls);
  }

  #ask(q = this.#control): void {
    if (!q || this.#stats.changed) return;
    const sentBefore = this.#stats.hellos;
    const asking = this.#send(q.hello, {}, true).then((answer) => {
      const said = answer.status === "answered" ? q.differs(answer) : undefined;
      if (said && !this.#stats.changed) {
        this.#stats.changed = `the target's answer to ${q.asked} changed after about ` +
          `${sentBefore} hellos: first ${q.expected}, then ${said}`;
      }
    });
    this.#controls.add(asking);
    void asking.finally(() => this.#controls.delete(asking));
  }

  /**
   * Sends one hello (built by `buildClientHello`) and resolves with the
   * answer; never rejects for anything the target does. Throws only for a
   * hello that cannot be built (an unknown name: our input). With
   * `retryTimeouts: false` a hello that found no answer within the deadline
   * is not sent again (refused or reset TCP still is): a target that
   * accepts TCP and stays silent is given up on after one deadline.
   */
  send(
    hello: ClientHelloOptions,
    options: { untilServerHelloDone?: boolean; retryTimeouts?: boolean } = {},
  ): Promise<HelloAnswer> {
    return this.#send(hello, options, false);
  }

  /** `send`; an `urgent` hello (the control question) goes before those waiting for a slot. */
  async #send(
    hello: ClientHelloOptions,
    options: { untilServerHelloDone?: boolean; retryTimeouts?: boolean },
    urgent: boolean,
  ): Promise<HelloAnswer> {
    const asked = { hello, untilServerHelloDone: options.untilServerHelloDone ?? false };
    const bytes = buildClientHello(hello); // our input: throws before anything is sent
    // All its tries hold one slot, pauses included: once the target falls silent, the hellos in
    // flight end their tries before new ones start, so it counts as gone after about one hello's
    // tries, not after a first try of every hello waiting (minutes at a limit of 1).
    const answer = await this.#slot(
      () => this.#tries(bytes, asked, options.retryTimeouts ?? true),
      urgent,
    );
    if (answer.status === "unknown") return answer;
    if (answer.result.status === "closed" && !(await this.#closeStands())) {
      const how = answer.result.peerClosed === "reset" ? "reset" : "closed";
      return this.#unknown(
        `${how} without an answer, and the target answered no hello sent after it ` +
          "(it may have stopped: not counted as a refusal)",
        answer.tries,
      );
    }
    this.#answered();
    return answer;
  }

  /** One hello's tries, within its slot: the first answer, or unknown after the retries. */
  async #tries(
    first: Uint8Array,
    asked: { hello: ClientHelloOptions; untilServerHelloDone: boolean },
    retryTimeouts: boolean,
  ): Promise<HelloAnswer> {
    let bytes = first;
    for (let tries = 1;; tries++) {
      const { result } = await this.#try(bytes, asked);
      if (!result) {
        return { status: "unknown", why: this.#stats.gone ?? "stopped", tries: tries - 1 };
      }
      if (result.status !== "timeout" && result.status !== "tcp-error") {
        return { status: "answered", result, tries };
      }
      const came = result.observation.received.bytes;
      const why = result.status !== "timeout"
        ? `TCP: ${result.error ?? "connection failed"}`
        : came > 0
        ? `no whole answer within ${this.#o.timeoutMs} ms (${came} bytes came)`
        : result.observation.sent.bytes > 0
        ? `TCP connected, but no answer within ${this.#o.timeoutMs} ms`
        : `no answer within ${this.#o.timeoutMs} ms`;
      this.#backOff();
      const last = tries > this.#o.retries || (result.status === "timeout" && !retryTimeouts);
      if (last) return this.#unknown(`${why} (${tries} ${tries === 1 ? "try" : "tries"})`, tries);
      this.#stats.retries++;
      bytes = buildClientHello(asked.hello); // a fresh random and fresh key shares per try
      const pause = Math.min(this.#o.maxBackoffMs, this.#o.backoffMs * 2 ** (tries - 1));
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /**
   * One hello on one connection (its caller holds a slot); no result when
   * the target is gone or we were stopped. A TLS answer confirms the closes
   * seen before it started (see `#closeStands`).
   */
  async #try(
    bytes: Uint8Array,
    asked: { hello: ClientHelloOptions; untilServerHelloDone: boolean },
  ): Promise<{ result?: ProbeResult; seq: number }> {
    // Checked again at each try: the target may have gone while this hello waited.
    if (this.#stats.gone || this.#o.signal?.aborted) return { seq: this.#started };
    const seq = ++this.#started;
    const result = await probeHello({
      host: this.#o.host,
      port: this.#o.port,
      hello: bytes,
      timeoutMs: this.#o.timeoutMs,
      maxBytes: this.#o.maxBytes,
      untilServerHelloDone: asked.untilServerHelloDone,
    });
    if (++this.#stats.hellos % this.#o.controlEvery === 0) this.#ask();
    if (TLS_ANSWERS.has(result.status)) {
      this.#witness = asked;
      for (const c of this.#takeCloses((after) => after < seq)) c.settle(true);
    }
    return { result, seq };
  }

  /**
   * Whether a close without a word stands as a refusal. Some servers
   * refuse that way (Windows SChannel resets a version it has disabled),
   * but so does a target that died: a close stands once the target gave a
   * TLS answer (ServerHello, alert) to a hello sent after it. When nothing
   * else is in flight, the last hello that got a TLS answer is sent again to
   * ask; a target that never answered TLS has nothing to compare with, and
   * its closes stand (it will not count as reached).
   */
  #closeStands(): Promise<boolean> {
    return new Promise((settle) => {
      this.#closes.push({ after: this.#started, settle });
      this.#checkCloses();
    });
  }

  #checkCloses(): void {
    if (this.#closes.length === 0 || this.#checking) return;
    if (this.#running > 0 || this.#queue.length > 0) return; // a later hello may answer first
    if (!this.#witness) {
      for (const c of this.#takeCloses(() => true)) c.settle(true);
      return;
    }
    this.#checking = true;
    const w = this.#witness;
    void this.#slot(() => this.#try(buildClientHello(w.hello), w), false).then(
      ({ result, seq }) => {
        this.#checking = false;
        // What was closed before this hello started, and still is unconfirmed: it got no TLS answer.
        if (!result || !TLS_ANSWERS.has(result.status)) {
          for (const c of this.#takeCloses((after) => after < seq || !result)) c.settle(false);
        }
        this.#checkCloses();
      },
    );
  }

  #takeCloses(which: (after: number) => boolean): { settle(stands: boolean): void }[] {
    const taken = this.#closes.filter((c) => which(c.after));
    this.#closes = this.#closes.filter((c) => !which(c.after));
    return taken;
  }

  #unknown(why: string, tries: number): HelloAnswer {
    if (++this.#streak >= this.#o.goneAfter && !this.#stats.gone) {
      this.#stats.gone = `the target stopped answering (${this.#streak} hellos in a row: ${why})`;
    }
    return { status: "unknown", why, tries };
  }

  #answered(): void {
    this.#streak = 0;
    // Additive increase: one more in flight per `limit` answers.
    if (this.#limit < this.#o.concurrency && ++this.#goodSinceRaise >= this.#limit) {
      this.#limit++;
      this.#goodSinceRaise = 0;
      this.#pump();
    }
  }

  #backOff(): void {
    this.#limit = Math.max(1, Math.floor(this.#limit / 2));
    this.#goodSinceRaise = 0;
    this.#stats.lowestLimit = Math.min(this.#stats.lowestLimit, this.#limit);
  }

  async #slot<T>(work: () => Promise<T>, urgent: boolean): Promise<T> {
    if (this.#running < this.#limit) this.#running++;
    else {
      // #pump counted us.
      await new Promise<void>((resolve) =>
        urgent ? this.#queue.unshift(resolve) : this.#queue.push(resolve)
      );
    }
    try {
      return await work();
    } finally {
      this.#running--;
      this.#pump();
      this.#checkCloses();
    }
  }

  #pump(): void {
    while (this.#running < this.#limit && this.#queue.length > 0) {
      this.#running++;
      this.#queue.shift()!();
    }
  }
}
