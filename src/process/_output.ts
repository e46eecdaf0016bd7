/** How long the pipes are still read once the process has ended: an orphan may hold them. */
const DRAIN_MS = 500;
/** Only the tail is kept: a chatty peer must not grow our memory. */
const KEEP = 256 * 1024;

/**
 * A child's standard output and error, read together into a bounded tail,
 * with listeners for each chunk. Reading can be given up: a process that
 * left an orphan behind (one that escaped its process group) must not keep us
 * waiting for the end of pipes the orphan still holds.
 */
export class ProcessOutput {
  text = "";
  readonly listeners = new Set<() => void>();
  readonly #stop = new AbortController();
  readonly #done: Promise<unknown>;

  constructor(streams: ReadableStream<Uint8Array>[]) {
    this.#done = Promise.all(streams.map((s) => this.#read(s)));
  }

  async #read(stream: ReadableStream<Uint8Array>) {
    const text = stream.pipeThrough(new TextDecoderStream(), { signal: this.#stop.signal });
    try {
      for await (const chunk of text) {
        this.text = (this.text + chunk).slice(-KEEP);
        this.listeners.forEach((l) => l());
      }
    } catch { /* reading given up, or the pipe broke */ }
  }

  /** Waits for the end of both pipes, at most {@linkcode DRAIN_MS}, then stops reading. */
  async drain(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_MS)));
    await Promise.race([this.#done, late]);
    clearTimeout(timer);
    this.#stop.abort();
  }
}
