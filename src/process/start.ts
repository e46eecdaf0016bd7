import { groupAlive, pause, signalGroup } from "./_group.ts";
import { ProcessOutput } from "./_output.ts";

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
  /** Aborting it while waiting for `ready` stops the process at once and rejects with a StartError. */
  signal?: AbortSignal;
}

/**
 * A process we started, leading its own process group (with whatever it
 * starts itself): its PID, what it printed so far, and how to stop it.
 */
export interface RunningProcess {
  /** The process ID, also its process group ID. */
  pid: number;
  /** The program and arguments it was started with. */
  command: string[];
  /** Standard output and error so far, interleaved. */
  log(): string;
  /** Resolves with the exit code once the process has ended (its output read, or given up on). */
  exited: Promise<number>;
  /**
   * SIGTERM to the whole process group, SIGKILL to it after `graceMs`
   * (default 5 000) if anything of it still lives; resolves once the process
   * has ended and its group is gone, never waiting on output pipes that an
   * escaped orphan still holds.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** A start that failed: the program is missing, exited early, or never became ready. */
export class StartError extends Error {
  /** The error name, "StartError". */
  override name = "StartError";
}

/**
 * Starts a peer process (storescp, Orthanc, a vendor's simulator) in a
 * process group of its own, waits until it is ready, and returns a handle
 * that stops the whole group (a wrapper script and what it started alike).
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
      // Its own process group (PGID = its PID): stopped as a whole, and Ctrl-C
      // on our terminal reaches us, who stop it, not the SUT behind our back.
      detached: true,
    }).spawn();
  } catch (e) {
    throw new StartError(
      `cannot start ${program}: ${e instanceof Deno.errors.NotFound ? "program not found" : e}`,
    );
  }
  const output = new ProcessOutput([child.stdout, child.stderr]);
  const status = child.status.then((s) => s.code);
  const exited = status.then(async (code) => {
    await output.drain();
    return code;
  });
  const handle: RunningProcess = {
    pid: child.pid,
    command: options.command,
    log: () => output.text,
    exited,
    stop: ({ graceMs = 5000 } = {}) => stopGroup(child.pid, { status, exited, graceMs }),
  };
  if (options.ready) {
    try {
      await waitReady(options.ready, { output, status, signal: options.signal });
    } catch (e) {
      await handle.stop({ graceMs: 500 });
      const tail = output.text.trim().split("\n").slice(-5).join("\n  ");
      throw new StartError(
        `${program} did not become ready: ${(e as Error).message}${tail ? `\n  ${tail}` : ""}`,
      );
    }
  }
  return handle;
}

// SIGTERM to the group; SIGKILL to it when anything of it outlives the grace
// period; then the leader's end and, briefly, its output.
async function stopGroup(
  pgid: number,
  options: { status: Promise<number>; exited: Promise<number>; graceMs: number },
): Promise<void> {
  let leaderDone = false;
  options.status.then(() => (leaderDone = true));
  if (signalGroup(pgid, "SIGTERM")) {
    const deadline = Date.now() + options.graceMs;
    while (!(leaderDone && !(await groupAlive(pgid)))) {
      if (Date.now() >= deadline) {
        signalGroup(pgid, "SIGKILL");
        break;
      }
      await pause(Math.min(50, Math.max(1, deadline - Date.now())));
    }
  }
  // A process stuck in the kernel (state D) outlives even SIGKILL for a while: do not hang on it.
  await Promise.race([options.exited, pause(2000)]);
  // The other members die of SIGKILL a moment after the leader (sooner on an idle machine).
  for (let i = 0; i < 40 && await groupAlive(pgid); i++) await pause(25);
}

async function waitReady(
  ready: ReadyCondition,
  process: { output: ProcessOutput; status: Promise<number>; signal?: AbortSignal },
): Promise<void> {
  const timeoutMs = ready.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | undefined;
  process.status.then((c) => (exitCode = c));
  const what = [
    ready.port !== undefined ? `port ${ready.port} accepting` : "",
    ready.log ? `output matching ${ready.log}` : "",
  ].filter(Boolean).join(" and ");
  let logSeen = !ready.log;
  const onOutput = () => {
    if (ready.log?.test(process.output.text)) logSeen = true;
  };
  process.output.listeners.add(onOutput);
  try {
    while (true) {
      onOutput();
      if (logSeen && (ready.port === undefined || await canConnect(ready.host, ready.port))) return;
      if (process.signal?.aborted) throw new Error("the start was interrupted");
      if (exitCode !== undefined) throw new Error(`it exited with code ${exitCode}`);
      if (Date.now() > deadline) throw new Error(`no ${what} after ${timeoutMs} ms`);
      await pause(20);
    }
  } finally {
    process.output.listeners.delete(onOutput);
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
