import type { Outcome, TriggerEvidence } from "../outcome/mod.ts";
import { AE_DEFAULTS, type AeConfig } from "../reference_ae/mod.ts";
import { type SecurityContext, SecurityLoader, type TlsSettings } from "../security/mod.ts";
import {
  chooseTlsStack,
  listenTls,
  tlsChoice,
  type TlsCredentials,
  type TlsServer,
} from "../tls/mod.ts";
import { InputError } from "../yaml/input_error.ts";
import { hostPort } from "../text/mod.ts";
import type { InboundContext } from "./connection.ts";
import { Connections } from "./_connections.ts";
import { type RunningTrigger, startTrigger } from "./run_trigger.ts";
import { checkListener, type ListenerSanity } from "./sanity.ts";
import type { HarnessAddress, Trigger } from "./trigger.ts";
import { buildOutcome, LATE_CONNECTION_S, noConnection } from "./_outcome.ts";
import { remaining } from "./_timeline.ts";

/** Options of {@linkcode runInbound}. */
export interface InboundOptions {
  /** Where we listen; default 127.0.0.1. */
  host?: string;
  /** Where we listen; 0 (default) picks a free port, given to the trigger as `${harness.port}`. */
  port?: number;
  /** Our AE title: the called AE the SUT must use. */
  ae: string;
  /** Calling AE titles we accept (the SUT's); empty accepts any. */
  acceptCalling: string[];
  /** Our security context as acceptor: the server certificate we present, how we judge the SUT's. */
  security: SecurityContext;
  /** How the SUT is made to connect; none: we just wait (`dicomtls listen`). */
  trigger?: Trigger;
  /** Working directory of a command trigger. */
  cwd?: string;
  /** The whole case, from listening to the last close: nothing waits longer. */
  timeoutMs: number;
  /** Called once we listen (after the sanity check). */
  onListening?(address: HarnessAddress): void;
  /** Told what an operator must do (manual triggers). */
  onManual?(text: string): void;
  /** Aborting it ends the case now (Ctrl-C). */
  signal?: AbortSignal;
  /** Loads certificates once across cases. */
  loader?: SecurityLoader;
}

/** What an inbound case gave: the Outcome, and whether it can judge the SUT at all. */
export interface InboundResult {
  /** The first connection the SUT sent a byte on, in full; every one in `connections`; the trigger's evidence. */
  outcome: Outcome;
  /** Our own handshake against the case's listener, before the SUT was triggered. */
  sanity: ListenerSanity;
  /**
   * Why the case cannot judge the SUT (an error, never a pass): our listener
   * fails its sanity check, it cannot listen, or the SUT never connected.
   */
  problem?: { kind: InboundProblemKind; message: string };
}

/**
 * Why an inbound case cannot judge the SUT: our listener fails its sanity
 * check (`sanity`) or cannot listen (`listen`); the SUT never connected
 * before our wait ended (`no-connection`), or its trigger could not run or
 * reach it (`trigger-failed`); our listener refused it for a
 * reason we cannot attribute to its ClientHello (`unattributed-refusal`);
 * it closed every connection without sending a byte (`said-nothing`);
 * its handshake was still under way at our timeout (`our-timeout`); the run
 * was stopped (`interrupted`).
 */
export type InboundProblemKind =
  | "sanity"
  | "listen"
  | "no-connection"
  | "trigger-failed"
  | "unattributed-refusal"
  | "said-nothing"
  | "our-timeout"
  | "interrupted";

/** After the first connection closed, how long the trigger may still take (a retry may come). */
const AFTER_FIRST_MS = 3000;
/** After the trigger ended without a connection, how long one may still come. */
const LATE_CONNECTION_MS = LATE_CONNECTION_S * 1000;

/**
 * One inbound case: the SUT, an SCU, connects to us. Checks that our
 * listener (the case's certificate, versions, suites) can complete a
 * handshake with our own client, listens, triggers the SUT, and records
 * every connection it opens (the first in full: ClientHello, handshake or
 * refusal, client certificate and our verdict, A-ASSOCIATE-RQ, DIMSE
 * requests and our answers, release or abort) until it is done, the trigger
 * ended, or the case's time is up. Received data sets go to a temporary
 * folder, removed afterwards. Unreadable certificates are `InputError`s.
 *
 * @example
 * ```ts
 * import { runInbound } from "./run.ts";
 * import type { SecurityContext } from "../security/mod.ts";
 * declare const security: SecurityContext;
 * const r = await runInbound({
 *   ae: "HARNESS", acceptCalling: ["ECHOSCU"], security, timeoutMs: 10_000,
 *   trigger: { kind: "command", command: ["echoscu", "-aec", "HARNESS", "127.0.0.1", "${harness.port}"] },
 * });
 * console.log(r.problem?.message ?? r.outcome.tls?.status);
 * ```
 */
export async function runInbound(options: InboundOptions): Promise<InboundResult> {
  const origin = performance.now();
  const deadline = origin + options.timeoutMs;
  const startedAt = new Date().toISOString();
  const host = options.host ?? "127.0.0.1";
  const settings = await (options.loader ?? new SecurityLoader()).tlsSettings(options.security, {
    role: "acceptor",
  });
  if (!settings.credentials) {
    throw new InputError({
      message: "the harness listens for the SUT but has no certificate",
      hint: "give the harness a certificate: a PKI name or files",
    });
  }
  const { stack } = chooseTlsStack({
    ...tlsChoice(settings.tls),
    credentials: settings.credentials,
  });
  const base = { startedAt, host, port: options.port ?? 0 };
  const sanity = await checkListener({
    settings,
    stack,
    timeoutMs: Math.min(5000, options.timeoutMs),
  });
  if (!sanity.ok) {
    return {
      sanity,
      outcome: noConnection(base, sanity.message),
      problem: { kind: "sanity", message: sanity.message },
    };
  }
  const storage = await Deno.makeTempDir({ prefix: "dicomtls-inbound-" });
  const ctx: InboundContext = {
    config: aeConfig(options, { host, storage }),
    policy: settings.policy,
    offer: {
      stack,
      tls: settings.tls,
      keyType: settings.credentials.certificate.key.startsWith("RSA") ? "rsa" : "ec",
    },
    origin,
    deadline,
  };
  try {
    const credentials = settings.credentials;
    return await listenAndObserve(options, {
      ctx,
      settings: { ...settings, credentials },
      base,
      sanity,
    });
  } finally {
    await Deno.remove(storage, { recursive: true }).catch(() => {});
  }
}

interface Prepared {
  ctx: InboundContext;
  settings: TlsSettings & { credentials: TlsCredentials };
  base: { startedAt: string; host: string; port: number };
  sanity: ListenerSanity;
}

// Listens, triggers the SUT, records its connections until it is done or time is up.
async function listenAndObserve(options: InboundOptions, p: Prepared): Promise<InboundResult> {
  const { ctx, settings, base, sanity } = p;
  const connections = new Connections(ctx);
  let server: TlsServer;
  try {
    server = await listenTls({
      credentials: settings.credentials,
      requestCert: settings.requestCert,
      tls: settings.tls,
      handshakeTimeoutMs: remaining(ctx),
      host: base.host,
      port: base.port,
      onAccepted: (p) => connections.pending(p),
      onConnection: (a) => connections.accepted(a),
      onRefused: (r) => connections.refused(r),
    });
  } catch (e) {
    const message = `cannot listen on ${hostPort(base)}: ${(e as Error).message}`;
    return { sanity, outcome: noConnection(base, message), problem: { kind: "listen", message } };
  }
  const address: HarnessAddress = { host: base.host, port: server.port, ae: options.ae };
  const listened = performance.now();
  try {
    options.onListening?.(address);
    const trigger = options.trigger
      ? startTrigger(options.trigger, {
        harness: address,
        timeoutMs: remaining(ctx),
        cwd: options.cwd,
        onManual: options.onManual,
      })
      : undefined;
    const interrupted = await waitForSut(connections, { trigger, ctx, signal: options.signal });
    const waitedMs = performance.now() - listened;
    // A wait that ended well before the deadline was ended by the trigger's end, not our timeout.
    const cutShort = ctx.deadline - performance.now() > 50;
    // Our connections first, then the trigger: a client that closes because we stopped its
    // trigger answers our stop, so its close must come after ours to be judged as ours.
    connections.stopAll(interrupted ? "the run was stopped" : "the case's time ran out");
    const evidence = await trigger?.stop();
    await server.close();
    const { records, summary } = await connections.all();
    const built = buildOutcome({
      ...base,
      port: server.port,
      records,
      summary,
      trigger: evidence,
      waited: { ms: waitedMs, until: cutShort && evidence ? "trigger-ended" : "timeout" },
    });
    const stopped = {
      kind: "interrupted" as const,
      message: "the run was stopped during this case",
    };
    return { sanity, ...built, ...(interrupted ? { problem: stopped } : {}) };
  } finally {
    await server.close();
  }
}

function aeConfig(o: InboundOptions, where: { host: string; storage: string }): AeConfig {
  return {
    ...AE_DEFAULTS,
    ae: o.ae,
    host: where.host,
    port: o.port ?? 0,
    acceptCalling: o.acceptCalling,
    storage: where.storage,
    associationTimeoutMs: o.timeoutMs,
    idleTimeoutMs: o.timeoutMs,
    security: o.security,
  };
}

/**
 * Waits for the SUT: its first connection, then that connection's end, then
 * (briefly) the trigger's end and any retry it makes; or the trigger's end
 * without a connection (then a moment for a late one); never past the
 * deadline. Resolves true when interrupted.
 */
async function waitForSut(
  connections: Connections,
  o: { trigger?: RunningTrigger; ctx: InboundContext; signal?: AbortSignal },
): Promise<boolean> {
  const { ctx } = o;
  const within = <T>(work: Promise<T>, ms = remaining(ctx)) =>
    raceDeadline(work, { ms: Math.min(ms, remaining(ctx)), signal: o.signal });
  const triggerDone = o.trigger?.done ?? new Promise<TriggerEvidence>(() => {});
  let r = await within(Promise.race([connections.first, triggerDone]));
  if (r === "aborted") return true;
  if (connections.count === 0 && o.trigger) r = await within(connections.first, LATE_CONNECTION_MS);
  if (r === "aborted") return true;
  const first = connections.firstRecord();
  if (!first) return false;
  if (await within(first) === "aborted") return true;
  if (o.trigger && o.trigger.kind !== "manual") {
    if (await within(triggerDone, AFTER_FIRST_MS) === "aborted") return true;
  }
  return await within(connections.settled()) === "aborted";
}

// The work, or "timeout" after `ms`, or "aborted": whichever comes first; no timer is left behind.
function raceDeadline<T>(
  work: Promise<T>,
  o: { ms: number; signal?: AbortSignal },
): Promise<T | "timeout" | "aborted"> {
  const end = Promise.withResolvers<"timeout" | "aborted">();
  const timer = setTimeout(end.resolve, o.ms, "timeout");
  const abort = () => end.resolve("aborted");
  o.signal?.addEventListener("abort", abort, { once: true });
  if (o.signal?.aborted) abort();
  return Promise.race([work, end.promise]).finally(() => {
    clearTimeout(timer);
    o.signal?.removeEventListener("abort", abort);
  });
}
