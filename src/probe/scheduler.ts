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
  /** Aborting it stops sending: hellos not yet sent end as unknown. */
  signal?: AbortSignal;
}

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
}

/**
 * Sends ClientHellos to one target, at most `concurrency` at a time. A hello
 * that finds no answer (timeout, refused or reset TCP) is not a verdict: the
 * scheduler halves its limit, waits (doubling per try) and sends it again;
 * answers raise the limit back one step at a time (AIMD, like TCP). Only
 * after `retries` more tries is a hello `unknown`; after `goneAfter` unknown
 * hellos in a row the target counts as gone and what is left ends unknown at
 * once. A server's answer (ServerHello, HelloRetryRequest, alert, a close
 * after reading the hello, bytes that are not TLS) is never retried.
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
   * Sends one hello (built by `buildClientHello`) and resolves with the
   * answer; never rejects for anything the target does. Throws only for a
   * hello that cannot be built (an unknown name: our input).
   */
  async send(
    hello: ClientHelloOptions,
    options: { untilServerHelloDone?: boolean } = {},
  ): Promise<HelloAnswer> {
    let bytes = buildClientHello(hello); // our input: throws before anything is sent
    for (let tries = 1;; tries++) {
      // Checked again once a slot is free: the target may have gone while this hello waited.
      const result = await this.#slot(() =>
        this.#stats.gone || this.#o.signal?.aborted ? Promise.resolve(undefined) : probeHello({
          host: this.#o.host,
          port: this.#o.port,
          hello: bytes,
          timeoutMs: this.#o.timeoutMs,
          maxBytes: this.#o.maxBytes,
          untilServerHelloDone: options.untilServerHelloDone ?? false,
        })
      );
      if (!result) {
        return { status: "unknown", why: this.#stats.gone ?? "stopped", tries: tries - 1 };
      }
      this.#stats.hellos++;
      if (result.status !== "timeout" && result.status !== "tcp-error") {
        this.#answered();
        return { status: "answered", result, tries };
      }
      const why = result.status === "timeout"
        ? `no answer within ${this.#o.timeoutMs} ms`
        : `TCP: ${result.error ?? "connection failed"}`;
      this.#backOff();
      if (tries > this.#o.retries) return this.#unknown(`${why} (${tries} tries)`, tries);
      this.#stats.retries++;
      bytes = buildClientHello(hello); // a fresh random and fresh key shares per try
      const pause = Math.min(this.#o.maxBackoffMs, this.#o.backoffMs * 2 ** (tries - 1));
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
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

  async #slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running < this.#limit) this.#running++;
    else await new Promise<void>((resolve) => this.#queue.push(resolve)); // #pump counted us
    try {
      return await work();
    } finally {
      this.#running--;
      this.#pump();
    }
  }

  #pump(): void {
    while (this.#running < this.#limit && this.#queue.length > 0) {
      this.#running++;
      this.#queue.shift()!();
    }
  }
}
