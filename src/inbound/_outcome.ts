import type { InboundConnection, Outcome, TriggerEvidence } from "../outcome/mod.ts";
import type { ConnectionRecord } from "./connection.ts";
import type { InboundResult } from "./run.ts";

interface Where {
  startedAt: string;
  host: string;
  port: number;
}

/** The Outcome of an inbound case that had no connection to record. */
export function noConnection(where: Where, error: string, trigger?: TriggerEvidence): Outcome {
  return {
    ok: false,
    stage: "tcp",
    target: { host: where.host, port: where.port },
    startedAt: where.startedAt,
    durationMs: 0,
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
 * The Outcome of an inbound case: the first connection in full, every
 * connection in brief, the trigger's evidence; no connection at all is a
 * problem that names the trigger and where we listened.
 */
export function buildOutcome(
  o: Where & { first?: ConnectionRecord; summary: InboundConnection[]; trigger?: TriggerEvidence },
): Pick<InboundResult, "outcome" | "problem"> {
  if (!o.first) {
    const message = `the SUT never connected to ${o.host}:${o.port}${
      o.trigger ? ` (trigger: ${o.trigger.description}: ${howItEnded(o.trigger)})` : ""
    }`;
    return {
      outcome: noConnection(o, message, o.trigger),
      problem: { kind: "no-connection", message },
    };
  }
  const { atMs: _, ...first } = o.first;
  return {
    outcome: {
      ...first,
      target: { host: o.host, port: o.port },
      startedAt: o.startedAt,
      direction: "inbound",
      ...(o.trigger ? { trigger: o.trigger } : {}),
      connections: o.summary,
    },
  };
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
