import type {
  AssociationOutcome,
  DimseOperation,
  Outcome,
  PduTrace,
  Stage,
  StageTiming,
  TlsOutcome,
} from "../outcome/mod.ts";
import { cEcho, cStore, type DimseStatus } from "../dimse/mod.ts";
import {
  type Association,
  AssociationAborted,
  AssociationRejected,
  AssociationTimeout,
  ConnectionClosed,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  PduError,
  requestAssociation,
  VERIFICATION_SOP_CLASS,
} from "../ul/mod.ts";
import {
  classifyTlsError,
  connectTls,
  probeLegacyTls,
  type TlsCredentials,
  type TlsVersion,
  type VerificationPolicy,
} from "../tls/mod.ts";
import type { Part10File } from "../part10/mod.ts";

/** One DIMSE operation for {@linkcode runScu}: a C-ECHO, or a C-STORE of a Part 10 file already read. */
export type ScuOperation =
  | { command: "C-ECHO" }
  | { command: "C-STORE"; file: Part10File; name?: string };

/** Options of {@linkcode runScu}. */
export interface ScuOptions {
  host: string;
  port: number;
  callingAe: string;
  calledAe: string;
  /** Our client certificate; none when omitted. */
  credentials?: TlsCredentials;
  /** How we verify the SCP's certificate. */
  policy: VerificationPolicy;
  minVersion?: TlsVersion;
  /** TLSv1 or TLSv1.1: only a legacy handshake probe, see {@linkcode runScu}. */
  maxVersion?: TlsVersion;
  /** SNI and the name checked with `checkHostname`; default `host`. */
  servername?: string;
  /** Deadline for the whole conversation, from TCP connect to release. */
  timeoutMs: number;
  /** What to do once associated; default one C-ECHO. */
  operations?: ScuOperation[];
  /** Maximum PDU length we announce; default the upper layer's. */
  maxPduLength?: number;
  /** Verification time; default now. */
  at?: Date;
}

/**
 * Runs one secure conversation as SCU: TCP, TLS (our verification of the
 * SCP), A-ASSOCIATE, the DIMSE operations, A-RELEASE, and returns the
 * {@linkcode Outcome} that says where and why it ended. Never rejects for
 * anything the peer does; a refusal is data.
 *
 * A TLS 1.3 server that refuses our client certificate does so after our
 * handshake completed: the alert (or a bare close before any DICOM answer)
 * surfaces while we wait for the A-ASSOCIATE-AC, and is reported as a TLS
 * refusal by the peer, not an association failure.
 *
 * A `maxVersion` of TLSv1 or TLSv1.1 runs a legacy handshake probe instead
 * (`probeLegacyTls`: node-forge, RSA CBC suites, our verifier not applied)
 * and stops after the TLS stage: no association, `ok` false.
 *
 * @example
 * ```ts
 * const outcome = await runScu({
 *   host: "127.0.0.1", port: 11112, callingAe: "DICOMTLS", calledAe: "STORESCP",
 *   credentials, policy: { method: "chain", anchors }, timeoutMs: 5000,
 * });
 * console.log(outcome.ok, outcome.stage, outcome.tls?.alert?.name);
 * ```
 */
export async function runScu(options: ScuOptions): Promise<Outcome> {
  const origin = performance.now();
  const deadline = origin + options.timeoutMs;
  const remaining = () => Math.max(1, Math.round(deadline - performance.now()));
  const timeline: StageTiming[] = [];
  const pdus: PduTrace[] = [];
  const stageStart = { at: origin };
  const mark = (stage: Stage) => {
    const now = performance.now();
    timeline.push({
      stage,
      startMs: round(stageStart.at - origin),
      durationMs: round(now - stageStart.at),
    });
    stageStart.at = now;
  };
  const outcome: Outcome = {
    ok: false,
    stage: "tcp",
    target: { host: options.host, port: options.port },
    startedAt: new Date().toISOString(),
    durationMs: 0,
    timeline,
    tcp: { status: "connected" },
    pdus,
  };
  const finish = () => {
    outcome.durationMs = round(performance.now() - origin);
    return outcome;
  };

  const max = options.maxVersion;
  if (max === "TLSv1" || max === "TLSv1.1") {
    const probe = await probeLegacyTls({ ...options, version: max });
    outcome.tcp = probe.tcp;
    if (probe.tls) {
      outcome.stage = "tls";
      outcome.tls = probe.tls;
      outcome.association = { result: "not-requested" };
    }
    mark(outcome.stage);
    return finish();
  }

  const connection = await connectTls({
    host: options.host,
    port: options.port,
    servername: options.servername,
    credentials: options.credentials,
    minVersion: options.minVersion,
    maxVersion: max,
    timeoutMs: options.timeoutMs,
    policy: options.policy,
    at: options.at,
  });
  outcome.tcp = connection.tcp;
  timeline.push({ stage: "tcp", startMs: 0, durationMs: round(connection.timing.tcpMs) });
  if (connection.tcp.status !== "connected") return finish();
  outcome.stage = "tls";
  outcome.tls = connection.tls;
  // The TLS stage includes our verification of the peer, which connectTls ran.
  stageStart.at = origin + connection.timing.tcpMs;
  mark("tls");
  if (!connection.ok) {
    outcome.association = { result: "not-requested" };
    return finish();
  }

  const socket = connection.socket;
  // Keep the first socket error: a TLS 1.3 alert arrives here, after our handshake.
  let socketError: Error | undefined;
  socket.on("error", (e: Error) => socketError ??= e);
  const association: AssociationOutcome = {
    result: "not-requested",
    callingAe: options.callingAe,
    calledAe: options.calledAe,
  };
  outcome.association = association;
  outcome.stage = "association";
  let assoc: Association;
  try {
    assoc = await requestAssociation({
      socket,
      callingAe: options.callingAe,
      calledAe: options.calledAe,
      presentationContexts: proposedContexts(options.operations ?? [{ command: "C-ECHO" }]),
      maxPduLength: options.maxPduLength,
      timeoutMs: remaining(),
      onPdu: (t) => pdus.push(t),
      traceOrigin: origin,
    });
  } catch (e) {
    if (lateTlsRefusal(e, pdus, socketError, connection.tls)) {
      outcome.stage = "tls";
      association.result = "not-requested";
      // The refusal ends the TLS stage: it lasted until the alert or close came.
      const tls = timeline.find((t) => t.stage === "tls")!;
      tls.durationMs = round(performance.now() - origin - tls.startMs);
    } else {
      describeAssociationFailure(e, association);
      mark("association");
    }
    socket.destroy();
    return finish();
  }
  association.result = "accepted";
  association.peerMaxPduLength = assoc.peerMaxPduLength;
  association.peerImplementationClassUid = assoc.ac.userInformation.implementationClassUid;
  association.peerImplementationVersionName = assoc.ac.userInformation.implementationVersionName;
  association.presentationContexts = assoc.ac.presentationContexts.map((pc) => ({
    id: pc.id,
    abstractSyntax: assoc.rq.presentationContexts.find((r) => r.id === pc.id)?.abstractSyntax ??
      "",
    ...(pc.transferSyntax ? { transferSyntax: pc.transferSyntax } : {}),
    result: pc.result,
  }));
  mark("association");

  outcome.stage = "dimse";
  const operations: DimseOperation[] = [];
  outcome.dimse = { status: "success", operations };
  let failure: unknown;
  for (const op of options.operations ?? [{ command: "C-ECHO" }]) {
    const began = performance.now();
    try {
      const status = await runOperation(assoc, op, remaining());
      operations.push({
        command: op.command,
        status: status.code,
        statusName: status.name,
        category: status.category === "success" || status.category === "warning"
          ? status.category
          : "failure",
        ...(op.command === "C-STORE" ? { sopInstanceUid: op.file.sopInstanceUid } : {}),
        durationMs: round(performance.now() - began),
      });
    } catch (e) {
      if (e instanceof OperationNotSent) {
        // Nothing went on the wire: the association is fine, go on with the rest.
        operations.push({
          command: op.command,
          statusName: e.message,
          category: "failure",
          ...(op.command === "C-STORE" ? { sopInstanceUid: op.file.sopInstanceUid } : {}),
          durationMs: 0,
        });
        continue;
      }
      failure = e;
      operations.push({
        command: op.command,
        statusName: (e as Error).message,
        category: e instanceof AssociationTimeout ? "timeout" : "aborted",
        ...(op.command === "C-STORE" ? { sopInstanceUid: op.file.sopInstanceUid } : {}),
        durationMs: round(performance.now() - began),
      });
      break;
    }
  }
  const worst = operations.find((o) => o.category !== "success") ??
    operations[operations.length - 1];
  outcome.dimse.status = worst?.category ?? "success";
  mark("dimse");

  if (failure) {
    describeAssociationFailure(failure, association, { established: true });
    socket.destroy();
    return finish();
  }
  outcome.stage = "release";
  try {
    await assoc.release({ timeoutMs: remaining() });
    association.released = true;
  } catch (e) {
    association.released = false;
    association.error = `A-RELEASE failed: ${(e as Error).message}`;
    socket.destroy();
  }
  mark("release");
  outcome.ok = outcome.dimse.status === "success" && association.released === true;
  return finish();
}

/** An operation the negotiated contexts do not allow: refused before anything was sent. */
class OperationNotSent extends Error {
  override name = "OperationNotSent";
}

function runOperation(
  assoc: Association,
  op: ScuOperation,
  timeoutMs: number,
): Promise<DimseStatus> {
  if (op.command === "C-ECHO") {
    if (!assoc.acceptedContexts.some((c) => c.abstractSyntax === VERIFICATION_SOP_CLASS)) {
      return Promise.reject(
        new OperationNotSent("C-ECHO not sent: the peer accepted no Verification context"),
      );
    }
    return cEcho(assoc, { timeoutMs });
  }
  const context = assoc.acceptedContexts.find((c) =>
    c.abstractSyntax === op.file.sopClassUid && c.transferSyntax === op.file.transferSyntax
  );
  if (!context) {
    return Promise.reject(
      new OperationNotSent(
        `C-STORE not sent: the peer accepted no context for SOP class ${op.file.sopClassUid} in ${op.file.transferSyntax}`,
      ),
    );
  }
  return cStore(assoc, {
    contextId: context.id,
    sopClassUid: op.file.sopClassUid,
    sopInstanceUid: op.file.sopInstanceUid,
    dataset: op.file.dataset,
    timeoutMs,
  });
}

// One context per SOP class and transfer syntax we will send in; Verification always,
// so that every association can also echo.
function proposedContexts(operations: ScuOperation[]) {
  const contexts = [{
    abstractSyntax: VERIFICATION_SOP_CLASS,
    transferSyntaxes: [EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN],
  }];
  const seen = new Set<string>();
  for (const op of operations) {
    if (op.command !== "C-STORE") continue;
    const key = `${op.file.sopClassUid}|${op.file.transferSyntax}`;
    if (seen.has(key)) continue;
    seen.add(key);
    contexts.push({
      abstractSyntax: op.file.sopClassUid,
      transferSyntaxes: [op.file.transferSyntax],
    });
  }
  return contexts;
}

// A refusal at the TLS layer that shows only after our handshake (TLS 1.3):
// an alert on the first read, or a close before the peer said any DICOM word.
function lateTlsRefusal(
  e: unknown,
  pdus: PduTrace[],
  socketError: Error | undefined,
  tls: TlsOutcome,
): boolean {
  if (!(e instanceof ConnectionClosed)) return false;
  const c = socketError ? classifyTlsError(socketError) : undefined;
  if (c?.alert) {
    tls.status = "refused-by-peer";
    tls.alert = c.alert;
    tls.error = c.message;
    return true;
  }
  if (pdus.some((p) => p.direction === "received")) return false;
  tls.status = "refused-by-peer";
  tls.closedWithoutAlert = true;
  tls.error = `the peer closed the connection after the TLS handshake without a TLS alert or ` +
    `a DICOM answer${c ? ` (${c.message})` : ""}`;
  return true;
}

function describeAssociationFailure(
  e: unknown,
  association: AssociationOutcome,
  options: { established?: boolean } = {},
): void {
  if (e instanceof AssociationRejected) {
    association.result = "rejected";
    association.reject = { result: e.result, source: e.source, reason: e.reason };
  } else if (e instanceof AssociationAborted) {
    association.result = "aborted";
    association.abort = { source: e.source, reason: e.reason };
  } else if (e instanceof PduError) {
    association.result = "aborted";
    association.abort = { source: "service-provider", reason: e.reason };
  } else if (e instanceof AssociationTimeout) {
    if (!options.established) association.result = "timeout";
  } else if (!options.established) {
    association.result = "error";
  }
  association.error = (e as Error).message ?? String(e);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
