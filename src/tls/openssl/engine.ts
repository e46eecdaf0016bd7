import net from "node:net";
import { runConversation } from "./_conversation.ts";
import { decodeControl, encodeControl, FrameDecoder } from "./_frames.mjs";
import { OpenSslError } from "./errors.ts";
import type { OpenSslHandshake } from "./handshake.ts";
import { openRequest, type OpenSslAcceptOptions, type OpenSslConnectOptions } from "./options.ts";

/** What the helper holds, from {@linkcode OpenSslEngine.stats}. */
export interface OpenSslEngineStats {
  /** TLS conversations open in the helper. */
  conversations: number;
  /** Cached OpenSSL contexts (one per distinct configuration, at most 32). */
  contexts: number;
}

/** Options of {@linkcode startOpenSsl}. */
export interface StartOpenSslOptions {
  /** The Node.js program; default `node` on PATH. */
  node?: string;
  /** How long the helper may take to listen; default 10 000 ms. */
  startTimeoutMs?: number;
}

const HELPER_FILES = ["_helper.mjs", "_frames.mjs"];
const LOG_TAIL = 4096;

/**
 * The OpenSSL TLS stack: one Node.js helper process (Node's `node:tls` is
 * OpenSSL 3.0) that runs TLS state machines while Deno keeps the TCP
 * sockets. Start one with {@linkcode startOpenSsl} (or share one with
 * `sharedOpenSsl`), then `connect` (client role) or `accept` (server role)
 * over a connected socket; `close` stops the helper. The helper also exits
 * when this process dies (it watches its stdin).
 *
 * @example
 * ```ts
 * import net from "node:net";
 * const engine = await startOpenSsl();
 * const socket = net.connect({ host: "127.0.0.1", port: 11112, noDelay: true });
 * const tls = await engine.connect({
 *   ciphertext: socket, minVersion: "TLSv1", maxVersion: "TLSv1",
 *   ciphers: ["TLS_RSA_WITH_AES_128_CBC_SHA"],
 * });
 * console.log(tls.protocol, tls.cipher.standardName);
 * tls.plaintext.end();
 * await engine.close();
 * ```
 */
export class OpenSslEngine {
  /** The OpenSSL version of the helper's Node, e.g. "3.0.19". */
  readonly openssl: string;
  /** The helper's process id. */
  readonly pid: number;
  /** Milliseconds from spawn to listening. */
  readonly startMs: number;
  #child: Deno.ChildProcess;
  #dir: string;
  #socketPath: string;
  #exit?: string;
  #log: () => string;
  #closing?: Promise<void>;

  /** @internal Use {@linkcode startOpenSsl}. */
  constructor(init: {
    child: Deno.ChildProcess;
    dir: string;
    socketPath: string;
    openssl: string;
    startMs: number;
    log: () => string;
  }) {
    this.#child = init.child;
    this.#dir = init.dir;
    this.#socketPath = init.socketPath;
    this.openssl = init.openssl;
    this.startMs = init.startMs;
    this.pid = init.child.pid;
    this.#log = init.log;
    init.child.status.then((s) => {
      this.#exit = `the helper (pid ${this.pid}) exited with ${
        s.signal ? `signal ${s.signal}` : `code ${s.code}`
      }${this.#log() ? `: ${this.#log().trim().slice(-500)}` : ""}`;
    });
  }

  /** Whether the helper process is still running. */
  get alive(): boolean {
    return this.#exit === undefined && this.#closing === undefined;
  }

  /**
   * A TLS handshake as client over `options.ciphertext` (a connected socket
   * the caller owns and times). Rejects with an {@linkcode OpenSslError}:
   * `local` for our problems (bad option, key that does not load, helper
   * gone), `refused`, `peer-alert`, `peer-closed` or `timeout` otherwise.
   *
   * @example
   * ```ts
   * declare const engine: OpenSslEngine, socket: import("node:net").Socket;
   * const h = await engine.connect({ ciphertext: socket, minVersion: "TLSv1", timeoutMs: 5000 });
   * ```
   */
  connect(options: OpenSslConnectOptions): Promise<OpenSslHandshake> {
    return this.#run(options, () => openRequest("client", options));
  }

  /**
   * A TLS handshake as server over `options.ciphertext`; errors as
   * {@linkcode OpenSslEngine.connect}.
   *
   * @example
   * ```ts
   * declare const engine: OpenSslEngine, socket: import("node:net").Socket;
   * declare const cert: string, key: string;
   * const h = await engine.accept({ ciphertext: socket, cert, key, requestCert: true });
   * console.log(h.peerCertificate, h.servername);
   * ```
   */
  accept(options: OpenSslAcceptOptions): Promise<OpenSslHandshake> {
    return this.#run(options, () => openRequest("server", options));
  }

  async #run(
    options: OpenSslConnectOptions | OpenSslAcceptOptions,
    request: () => ReturnType<typeof openRequest>,
  ): Promise<OpenSslHandshake> {
    const open = request();
    const gone = this.#gone();
    if (gone) {
      throw new OpenSslError(`the OpenSSL helper is not available: ${gone}`, {
        kind: "local",
        phase: "helper",
      });
    }
    return await runConversation({
      socketPath: this.#socketPath,
      ciphertext: options.ciphertext,
      open,
      timeoutMs: options.timeoutMs,
      helperGone: () => this.#gone(),
    });
  }

  #gone(): string | undefined {
    if (this.#closing) return "the OpenSSL engine was closed";
    return this.#exit;
  }

  /**
   * What the helper holds: open conversations and cached OpenSSL contexts
   * (to check that failed or abandoned conversations were freed).
   *
   * @example
   * ```ts
   * declare const engine: OpenSslEngine;
   * (await engine.stats()).conversations; // 0 when idle
   * ```
   */
  stats(): Promise<OpenSslEngineStats> {
    const gone = this.#gone();
    if (gone) {
      return Promise.reject(
        new OpenSslError(`the OpenSSL helper is not available: ${gone}`, {
          kind: "local",
          phase: "helper",
        }),
      );
    }
    return _askStats(this.#socketPath);
  }

  /**
   * Stops the helper (closing its stdin; SIGKILL after 2 s) and removes its socket folder.
   *
   * @example
   * ```ts
   * declare const engine: OpenSslEngine;
   * await engine.close();
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#child.ref();
      await this.#child.stdin.close().catch(() => {});
      const kill = setTimeout(() => {
        try {
          this.#child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, 2000);
      await this.#child.status;
      clearTimeout(kill);
      await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
    })();
    return this.#closing;
  }
}

/**
 * Starts the OpenSSL helper (`node _helper.mjs`, listening on a Unix socket
 * in a fresh 0700 temporary folder) and resolves once it listens. Throws an
 * {@linkcode OpenSslError} of kind `local` when Node.js is missing or the
 * helper does not start.
 *
 * @example
 * ```ts
 * const engine = await startOpenSsl();
 * console.log(`OpenSSL ${engine.openssl}, started in ${engine.startMs.toFixed(0)} ms`);
 * await engine.close();
 * ```
 */
export async function startOpenSsl(options: StartOpenSslOptions = {}): Promise<OpenSslEngine> {
  const started = performance.now();
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-openssl-" });
  await Deno.chmod(dir, 0o700);
  const helper = await _helperPath(dir);
  const socketPath = `${dir}/engine.sock`;
  const node = options.node ?? "node";
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(node, {
      args: ["--no-warnings", helper, socketPath],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    const why = e instanceof Deno.errors.NotFound
      ? `'${node}' not found on PATH: install Node.js 20 or later (the OpenSSL stack runs in it)`
      : `cannot start '${node}': ${(e as Error).message}`;
    throw new OpenSslError(`Cannot start the OpenSSL stack: ${why}`, {
      kind: "local",
      phase: "helper",
    });
  }
  let log = "";
  _collect(child.stderr, (text) => log = (log + text).slice(-LOG_TAIL));
  try {
    const openssl = await _ready(child, options.startTimeoutMs ?? 10_000, () => log);
    // An idle helper must not keep a finished run alive: it exits with us (stdin).
    child.unref();
    return new OpenSslEngine({
      child,
      dir,
      socketPath,
      openssl,
      startMs: performance.now() - started,
      log: () => log,
    });
  } catch (e) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw e;
  }
}

/** The helper's files on disk: beside this module, or copied into `dir` when loaded remotely. */
async function _helperPath(dir: string): Promise<string> {
  const url = new URL("./_helper.mjs", import.meta.url);
  if (url.protocol === "file:") return url.pathname;
  for (const name of HELPER_FILES) {
    const response = await fetch(new URL(`./${name}`, import.meta.url));
    await Deno.writeTextFile(`${dir}/${name}`, await response.text());
  }
  return `${dir}/_helper.mjs`;
}

async function _ready(
  child: Deno.ChildProcess,
  timeoutMs: number,
  log: () => string,
): Promise<string> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await Promise.race([reader.read(), timeout]);
      if (done) throw new Error("it exited before listening");
      text += value;
      if (text.length > 1024) throw new Error("unexpected output");
    }
    const match = /^ready (\S+)/.exec(text);
    if (!match) throw new Error(`unexpected output '${text.slice(0, 80)}'`);
    return match[1];
  } catch (e) {
    throw new OpenSslError(
      `Cannot start the OpenSSL helper: ${(e as Error).message}${
        log() ? `: ${log().trim().slice(-500)}` : ""
      }`,
      { kind: "local", phase: "helper" },
    );
  } finally {
    clearTimeout(timer);
    // Nothing more comes on stdout; release it so that it keeps nothing open.
    reader.cancel().catch(() => {});
  }
}

async function _collect(
  stream: ReadableStream<Uint8Array>,
  onText: (text: string) => void,
): Promise<void> {
  try {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) onText(text);
  } catch { /* the helper is gone */ }
}

function _askStats(socketPath: string): Promise<OpenSslEngineStats> {
  return new Promise((resolve, reject) => {
    const decoder = new FrameDecoder();
    const uds = net.connect({ path: socketPath });
    const fail = (why: string) =>
      reject(
        new OpenSslError(`the OpenSSL helper did not answer: ${why}`, {
          kind: "local",
          phase: "helper",
        }),
      );
    uds.on("error", (e: Error) => fail(e.message));
    uds.on("close", () => fail("it closed the connection"));
    uds.on("data", (chunk: Uint8Array) => {
      try {
        for (const frame of decoder.push(chunk)) {
          const m = decodeControl(frame.payload);
          resolve({ conversations: Number(m.conversations), contexts: Number(m.contexts) });
          uds.destroy();
        }
      } catch (e) {
        fail((e as Error).message);
        uds.destroy();
      }
    });
    uds.write(encodeControl({ type: "stats" }));
  });
}
