import type { TriggerEvidence } from "../outcome/mod.ts";
import { type RunningProcess, startProcess } from "../process/mod.ts";
import {
  type CommandTrigger,
  describeTrigger,
  expandTrigger,
  type HarnessAddress,
  type HttpTrigger,
  manualInstructions,
  type Trigger,
} from "./trigger.ts";

/** A trigger once started: its end when it ends by itself, and a way to stop it. */
export interface RunningTrigger {
  /** How the SUT is made to connect. */
  kind: Trigger["kind"];
  /** The trigger as run (placeholders filled in), in one line. */
  description: string;
  /** Resolves when it ended by itself (the command exited, the HTTP answer came or failed); never for manual. */
  done: Promise<TriggerEvidence>;
  /** Stops it when still running (the command's whole process group, the HTTP request); resolves with the evidence. */
  stop(): Promise<TriggerEvidence>;
}

/** Options of {@linkcode startTrigger}. */
export interface StartTriggerOptions {
  /** What `${harness.*}` stands for. */
  harness: HarnessAddress;
  /** Longest time an HTTP request may take; commands run until stopped. */
  timeoutMs: number;
  /** Working directory of a command without its own; default ours. */
  cwd?: string;
  /** Told what the operator must do (manual triggers). */
  onManual?: (text: string) => void;
}

/** How much of a command's output or an HTTP answer the evidence keeps (its end). */
export const TRIGGER_OUTPUT_CHARS = 2000;
/** The most of an HTTP answer read at all. */
const HTTP_BODY_BYTES = 64 * 1024;

/**
 * Starts what makes the SUT connect: a command (in a process group of its
 * own, stopped as a whole), an HTTP request (bounded in time and size), or
 * an operator told where to connect. A command that cannot start, or an
 * HTTP request that fails, ends at once with the reason as evidence.
 *
 * @example
 * ```ts
 * import { startTrigger } from "./run_trigger.ts";
 * const t = startTrigger(
 *   { kind: "command", command: ["echoscu", "127.0.0.1", "${harness.port}"] },
 *   { harness: { host: "127.0.0.1", port: 40123, ae: "HARNESS" }, timeoutMs: 5000 },
 * );
 * const evidence = await t.done; // { kind: "command", exitCode: 1, output: "...", ... }
 * ```
 */
export function startTrigger(trigger: Trigger, options: StartTriggerOptions): RunningTrigger {
  const expanded = expandTrigger(trigger, options.harness);
  const description = describeTrigger(expanded);
  const began = performance.now();
  const evidence = (extra: Partial<TriggerEvidence>): TriggerEvidence => ({
    kind: expanded.kind,
    description,
    ...extra,
    durationMs: Math.round(performance.now() - began),
  });
  if (expanded.kind === "command") {
    return runCommand(expanded, { ...options, description, evidence });
  }
  if (expanded.kind === "http") return runHttp(expanded, { ...options, description, evidence });
  options.onManual?.(manualInstructions(expanded, options.harness, options.timeoutMs));
  return {
    kind: "manual",
    description,
    done: new Promise<never>(() => {}),
    stop: () => Promise.resolve(evidence({})),
  };
}

interface Started extends StartTriggerOptions {
  description: string;
  evidence(extra: Partial<TriggerEvidence>): TriggerEvidence;
}

/** The end of a text, at most {@linkcode TRIGGER_OUTPUT_CHARS}, with "..." where it was cut. */
function tail(text: string): string | undefined {
  const t = text.trimEnd();
  if (!t) return undefined;
  return t.length > TRIGGER_OUTPUT_CHARS ? `...${t.slice(-TRIGGER_OUTPUT_CHARS)}` : t;
}

function runCommand(trigger: CommandTrigger, o: Started): RunningTrigger {
  let stopping = false;
  let proc: RunningProcess | undefined;
  const started = startProcess({
    command: trigger.command,
    ...(trigger.env ? { env: trigger.env } : {}),
    cwd: trigger.cwd ?? o.cwd,
  }).then((p) => (proc = p));
  const done = started.then(
    async (p) => {
      const exitCode = await p.exited;
      return o.evidence({
        ...(stopping ? { stopped: true } : { exitCode }),
        ...defined({ output: tail(p.log()) }),
      });
    },
    (e: Error) => o.evidence({ error: e.message }),
  );
  return {
    kind: "command",
    description: o.description,
    done,
    async stop() {
      await started.catch(() => {});
      stopping = true;
      await proc?.stop({ graceMs: 500 });
      return done;
    },
  };
}

function runHttp(trigger: HttpTrigger, o: Started): RunningTrigger {
  const abort = new AbortController();
  let stopped = false;
  const timer = setTimeout(() => abort.abort(), o.timeoutMs);
  const done = (async () => {
    try {
      const response = await fetch(trigger.url, {
        method: trigger.method.toUpperCase(),
        ...(trigger.body !== undefined ? { body: trigger.body } : {}),
        ...(trigger.headers ? { headers: trigger.headers } : {}),
        signal: abort.signal,
      });
      const body = await readBounded(response.body, HTTP_BODY_BYTES);
      return o.evidence({ httpStatus: response.status, ...defined({ output: tail(body) }) });
    } catch (e) {
      if (stopped) return o.evidence({ stopped: true });
      const why = abort.signal.aborted
        ? `no HTTP answer within ${o.timeoutMs} ms`
        : (e as Error).message;
      return o.evidence({ error: why });
    } finally {
      clearTimeout(timer);
    }
  })();
  return {
    kind: "http",
    description: o.description,
    done,
    stop() {
      stopped = true;
      abort.abort();
      return done;
    },
  };
}

async function readBounded(body: ReadableStream<Uint8Array> | null, max: number): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  while (bytes < max) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.length;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  return text;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
