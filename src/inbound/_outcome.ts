import type { InboundConnection, Outcome, TriggerEvidence } from "../outcome/mod.ts";
import { hostPort } from "../text/mod.ts";
import type { ConnectionRecord } from "./connection.ts";
import type { InboundResult } from "./run.ts";

interface Where {
  startedAt: string;
  host: string;
  port: number;
}

/** How long we waited for the SUT's first connection, and what ended the wait. */
export interface Waited {
  ms: number;
  /** Our timeout (the case's, or `--timeout`), or the late-connection grace after its trigger ended. */
  until: "timeout" | "trigger-ended";
}

/** The Outcome of an inbound case that had no connection to record. */
export function noConnection(
  where: Where,
  error: string,
  o: { trigger?: TriggerEvidence; waitedMs?: number } = {},
): Outcome {
  const trigger = o.trigger;
  return {
    ok: false,
    stage: "tcp",
    target: { host: where.host, port: where.port },
    startedAt: where.startedAt,
    durationMs: round(o.waitedMs ?? 0),
    timeline: [],
    tcp: { status: "timeout", error },
    pdus: [],
    error,
    direction: "inbound",
    ...(trigger ? { trigger } : {}),
    connections: [],
  };
}

/**
 * The Outcome of an inbound case: the first connection on which the SUT
 * sent a byte in full (a connection closed without one, such as a TCP probe
 * before the real one, is no conversation), every connection in brief, the
 * trigger's evidence. What keeps it from judging the SUT is a problem (an
 * error, never a verdict): no connection at all, which our wait ended (it
 * names what we waited for, for how long, the trigger and where we
 * listened); connections without a byte from the SUT; a refusal by our own
 * listener without a cause; a handshake we closed at our timeout.
 */
export function buildOutcome(
  o: Where & {
    records: readonly ConnectionRecord[];
    summary: InboundConnection[];
    trigger?: TriggerEvidence;
    waited: Waited;
  },
): Pick<InboundResult, "outcome" | "problem"> {
  const first = o.records.find((r) => !saidNothing(r)) ?? o.records[0];
  if (!first) {
    const until = o.waited.until === "timeout"
      ? "until our timeout"
      : `until ${LATE_CONNECTION_S} s after its trigger ended`;
    const message = `the SUT never connected to ${hostPort(o)}: we waited ${
      seconds(o.waited.ms)
    } for its TCP connection, ${until}${
      o.trigger ? ` (trigger: ${o.trigger.description}: ${howItEnded(o.trigger)})` : ""
    }`;
    // A trigger that could not run (or whose request reached no one) never asked the SUT:
    // its silence is no answer, not even the `tcp: timeout` a case may expect.
    const kind = o.trigger && triggerFailed(o.trigger) ? "trigger-failed" : "no-connection";
    return {
      outcome: noConnection(o, message, { trigger: o.trigger, waitedMs: o.waited.ms }),
      problem: { kind, message },
    };
  }
  const { atMs: _, ...record } = first;
  const outcome: Outcome = {
    ...record,
    target: { host: o.host, port: o.port },
    startedAt: o.startedAt,
    direction: "inbound",
    ...(o.trigger ? { trigger: o.trigger } : {}),
    connections: o.summary,
  };
  if (saidNothing(first)) {
    const n = o.records.length;
    const message = `the SUT closed ${
      n === 1 ? "its connection" : `each of its ${n} connections`
    } without sending a byte: nothing it said to judge (not a ClientHello, not plain DICOM)`;
    return { outcome, problem: { kind: "said-nothing", message } };
  }
  const unattributed = unattributedRefusal(outcome);
  if (unattributed) {
    return { outcome, problem: { kind: "unattributed-refusal", message: unattributed } };
  }
  const ours = ourTimeout(outcome);
  return { outcome, ...(ours ? { problem: { kind: "our-timeout", message: ours } } : {}) };
}

// A trigger that did not run the SUT: it could not start, its request reached no one, or
// the shell it ran said 126 (not executable) or 127 (not found), as POSIX shells do.
function triggerFailed(t: TriggerEvidence): boolean {
  return t.error !== undefined || t.exitCode === 126 || t.exitCode === 127;
}

// A connection the SUT closed (or reset) before its first byte.
function saidNothing(r: ConnectionRecord): boolean {
  return r.tls?.status === "not-tls" && r.tls.peerSent === "nothing";
}

/** After the trigger ended without a connection, how long one may still come (seconds). */
export const LATE_CONNECTION_S = 1;

/**
 * A refusal by our own listener counts only with its cause: our verdict on
 * the client certificate, or the ClientHello field that left nothing to
 * agree on. Anything else is our listener's problem, not the SUT's answer.
 */
function unattributedRefusal(o: Outcome): string | undefined {
  const tls = o.tls;
  if (tls?.status !== "refused-by-us" || tls.cause || tls.verification) return undefined;
  return `our listener refused the SUT's handshake (${
    tls.error ?? "no reason given"
  }) for a reason we cannot attribute to its ClientHello: not counted`;
}

/**
 * A handshake that had not ended when the case's time ran out (or the run
 * was stopped) was ended by us: what the SUT would have done is not known.
 */
function ourTimeout(o: Outcome): string | undefined {
  const tls = o.tls;
  if (tls?.status !== "timeout") return undefined;
  return `the SUT's TLS handshake had not ended when we closed it (${tls.error ?? "our timeout"}${
    tls.waitingFor ? `; waiting for ${tls.waitingFor}` : ""
  }): our timeout, not the SUT's answer`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * How a trigger ended, in a few words: "exited 1: F: Association Request
 * Failed ...", "HTTP 500", "cannot start ...", "stopped by us".
 *
 * @example
 * ```ts
 * howItEnded({ kind: "command", description: "echoscu", exitCode: 1, durationMs: 20 }); // "exited 1"
 * ```
 */
export function howItEnded(t: TriggerEvidence): string {
  const last = t.output?.trim().split("\n").at(-1)?.slice(0, 200);
  const said = last ? `: ${last}` : "";
  if (t.error) return t.error;
  if (t.exitCode !== undefined) return `exited ${t.exitCode}${said}`;
  if (t.httpStatus !== undefined) return `HTTP ${t.httpStatus}${said}`;
  if (t.stopped) return `still running after the case's time: stopped by us${said}`;
  return t.kind === "manual" ? "no one connected in time" : "ended";
}
