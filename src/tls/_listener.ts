import net from "node:net";
import type { AddressInfo } from "node:net";
import { clearInterval, setInterval } from "node:timers";

/** How often the accept watch looks at the listener. */
const WATCH_MS = 1000;

/**
 * The listen queue's length: one turn of the event loop accepts what is
 * queued before any close runs, so this many descriptors may be taken at
 * once on top of the open connections.
 */
export const _LISTEN_BACKLOG = 128;

/** Options of {@linkcode _Listener.open}. */
export interface _ListenerOptions {
  host: string;
  port: number;
  /** Each accepted TCP connection. */
  onSocket(socket: net.Socket): void;
  /** What happened to the listener, in words (out of file descriptors, listening again). */
  onNotice?(message: string): void;
}

/**
 * A TCP listener that survives running out of file descriptors. Deno's
 * `node:net` server stops accepting for good after an accept fails with
 * EMFILE (nothing is emitted; measured with Deno 2.9.6): connections then
 * wait in the listen queue forever, even after descriptors are free again.
 * Once a second the watch looks at the listener: a descriptor cannot be
 * opened (out of descriptors: noticed once), or connections wait in the
 * kernel's accept queue (`/proc/net/tcp`) at two looks while none was
 * accepted in between. When descriptors are free again after either, it closes
 * the listening socket and listens again on the same port (established
 * connections go on; those queued are reset). Without /proc (not Linux)
 * only the first sign is seen.
 */
export class _Listener {
  readonly port: number;
  #options: _ListenerOptions;
  #server: net.Server;
  #watch: ReturnType<typeof setInterval>;
  #accepted = 0;
  #seen = -1;
  #stalledLooks = 0;
  #starved = false;
  #closed = false;

  private constructor(options: _ListenerOptions, server: net.Server, port: number) {
    this.#options = options;
    this.#server = server;
    this.port = port;
    this.#watch = setInterval(() => this.#look(), WATCH_MS);
    this.#watch.unref();
  }

  /** Listens; rejects with the listen error (e.g. the port is taken). */
  static async open(options: _ListenerOptions): Promise<_Listener> {
    const made: { listener?: _Listener } = {};
    const server = await _listen(options.host, options.port, (s) => made.listener!.#accept(s));
    made.listener = new _Listener(options, server, (server.address() as AddressInfo).port);
    return made.listener;
  }

  /** Stops accepting (open connections go on). */
  close(): void {
    this.#closed = true;
    clearInterval(this.#watch);
    this.#server.close();
  }

  #accept(socket: net.Socket): void {
    this.#accepted++;
    this.#options.onSocket(socket);
  }

  #look(): void {
    const queued = _acceptQueueLength(this.port);
    if (queued === "no-descriptor") {
      if (!this.#starved) {
        this.#options.onNotice?.(
          "out of file descriptors (EMFILE): no connection can be accepted until some close",
        );
      }
      this.#starved = true;
      return;
    }
    // Queued across two looks with nothing accepted in between: a live loop would have taken it.
    const stalled = (queued ?? 0) > 0 && this.#accepted === this.#seen;
    this.#stalledLooks = stalled ? this.#stalledLooks + 1 : 0;
    this.#seen = this.#accepted;
    if (this.#starved || this.#stalledLooks >= 2) void this.#relisten();
  }

  async #relisten(): Promise<void> {
    const why = this.#starved
      ? "file descriptors are free again"
      : "the listener stopped accepting";
    this.#starved = false;
    this.#stalledLooks = 0;
    this.#server.close();
    try {
      const server = await _listen(this.#options.host, this.port, (s) => this.#accept(s));
      if (this.#closed) server.close();
      else this.#server = server;
      this.#options.onNotice?.(`${why}: listening again on port ${this.port}`);
    } catch (e) {
      // The next look tries again.
      this.#starved = true;
      this.#options.onNotice?.(`cannot listen again on port ${this.port}: ${(e as Error).message}`);
    }
  }
}

function _listen(
  host: string,
  port: number,
  onSocket: (socket: net.Socket) => void,
): Promise<net.Server> {
  const server = net.createServer(onSocket);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host, backlog: _LISTEN_BACKLOG }, () => {
      server.off("error", reject);
      // Accept errors must not end the process; the watch deals with them.
      server.on("error", () => {});
      resolve(server);
    });
  });
}

/**
 * Connections waiting in the kernel's accept queue of the listening socket
 * on `port` (the rx_queue of its LISTEN line in /proc/net/tcp and tcp6),
 * "no-descriptor" when the file cannot be opened for want of a descriptor,
 * undefined when it cannot be told.
 */
export function _acceptQueueLength(port: number): number | "no-descriptor" | undefined {
  const local = `:${port.toString(16).toUpperCase().padStart(4, "0")} `;
  let found: number | undefined;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = Deno.readTextFileSync(file);
    } catch (e) {
      if (/too many open files|os error 2[34]\b/i.test((e as Error).message)) {
        return "no-descriptor";
      }
      continue;
    }
    for (const line of text.split("\n")) {
      // "  0: 0100007F:9C40 00000000:0000 0A 00000000:00000003 ...": state 0A is LISTEN.
      const f = line.trim().split(/\s+/);
      if (f[3] !== "0A" || !`${f[1]} `.endsWith(local)) continue;
      found = (found ?? 0) + parseInt(f[4].split(":")[1], 16);
    }
  }
  return found;
}

/**
 * The soft limit on open files of this process (/proc/self/limits), or
 * undefined when it cannot be read.
 */
export function _openFileLimit(): number | undefined {
  try {
    const limits = Deno.readTextFileSync("/proc/self/limits");
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    return soft === undefined ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}
