/** When a started process counts as ready. */
export interface ReadyCondition {
  /** A TCP port on `host` that accepts connections. */
  port?: number;
  /** Host to probe for `port`; default 127.0.0.1. */
  host?: string;
  /** A pattern that appears in its standard output or error. */
  log?: RegExp;
  /** Give up after this long; default 10 000 ms. */
  timeoutMs?: number;
}

/** Options of {@linkcode startProcess}. */
export interface StartOptions {
  /** Program and arguments, e.g. `["storescp", "+tls", ...]`. */
  command: string[];
  /** Extra environment variables for the process. */
  env?: Record<string, string>;
  /** Working directory; default ours. */
  cwd?: string;
  /** When the process counts as ready; without it, as soon as it is spawned. */
  ready?: ReadyCondition;
}

/** A process we started: its PID, what it printed so far, and how to stop it. */
export interface RunningProcess {
  /** The process ID. */
  pid: number;
  /** The program and arguments it was started with. */
  command: string[];
  /** Standard output and error so far, interleaved. */
  log(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 5 000); resolves once it has ended. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** A start that failed: the program is missing, exited early, or never became ready. */
export class StartError extends Error {
  /** The error name, "StartError". */
  override name = "StartError";
}

/**
 * Starts a peer process (storescp, Orthanc, a vendor's simulator), waits until
 * it is ready, and returns a handle that stops it by PID.
 *
 * @example
 * ```ts
 * import { startProcess } from "./start.ts";
 * const scp = await startProcess({
 *   command: ["storescp", "-aet", "STORESCP", "11112"],
 *   env: { TCP_NODELAY: "1" },
 *   ready: { port: 11112 },
 * });
 * await scp.stop();
 * ```
 */
export async function startProcess(options: StartOptions): Promise<RunningProcess> {
  const [program, ...args] = options.command;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, {
      args,
      env: options.env,
      cwd: options.cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    throw new StartError(
      `cannot start ${program}: ${e instanceof Deno.errors.NotFound ? "program not found" : e}`,
    );
  }
  let output = "";
  const listeners = new Set<() => void>();
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      // Keep the tail only: a chatty peer must not grow our memory.
      output = (output + chunk).slice(-256 * 1024);
      listeners.forEach((l) => l());
    }
  };
  const streams = Promise.all([collect(child.stdout), collect(child.stderr)]);
  const exited = child.status.then(async (s) => {
    await streams.catch(() => {});
    return s.code;
  });
  let ended = false;
  exited.then(() => (ended = true));

  const handle: RunningProcess = {
    pid: child.pid,
    command: options.command,
    log: () => output,
    exited,
    async stop({ graceMs = 5000 } = {}) {
      if (ended) return;
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };

  if (options.ready) {
    try {
      await waitReady(options.ready, () => output, listeners, exited);
    } catch (e) {
      await handle.stop({ graceMs: 500 });
      const tail = output.trim().split("\n").slice(-5).join("\n  ");
      throw new StartError(
        `${program} did not become ready: ${(e as Error).message}${tail ? `\n  ${tail}` : ""}`,
      );
    }
  }
  return handle;
}

async function waitReady(
  ready: ReadyCondition,
  output: () => string,
  listeners: Set<() => void>,
  exited: Promise<number>,
): Promise<void> {
  const timeoutMs = ready.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | undefined;
  exited.then((c) => (exitCode = c));
  const what = [
    ready.port !== undefined ? `port ${ready.port} accepting` : "",
    ready.log ? `output matching ${ready.log}` : "",
  ].filter(Boolean).join(" and ");
  let logSeen = !ready.log;
  const onOutput = () => {
    if (ready.log?.test(output())) logSeen = true;
  };
  listeners.add(onOutput);
  try {
    while (true) {
      onOutput();
      if (logSeen && (ready.port === undefined || await canConnect(ready.host, ready.port))) return;
      if (exitCode !== undefined) throw new Error(`it exited with code ${exitCode}`);
      if (Date.now() > deadline) throw new Error(`no ${what} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    listeners.delete(onOutput);
  }
}

async function canConnect(host = "127.0.0.1", port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: host, port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * A TCP port that is free on 127.0.0.1 right now (the OS picks it).
 *
 * @example
 * ```ts
 * import { freePort } from "./start.ts";
 * const port = freePort();
 * ```
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
