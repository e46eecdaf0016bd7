import type { AcceptedTls, VerificationPolicy } from "../tls/mod.ts";
import { certificateInfo, verifyPeer } from "../tls/mod.ts";
import { commandName } from "../dimse/mod.ts";
import {
  acceptAssociation,
  type AcceptDecision,
  type Association,
  AssociationAborted,
  AssociationRejected,
  AssociationTimeout,
} from "../ul/mod.ts";
import type { Verification } from "../outcome/mod.ts";
import { type AssociationLog, MAX_LOGGED_DIMSE } from "./association_log.ts";
import type { AeConfig } from "./config.ts";
import type { DimseLogLine } from "./dimse_handlers.ts";
import { serveRequest } from "./serve_request.ts";
import { decideAssociation, LOCAL_LIMIT_EXCEEDED } from "./policy.ts";

/** What one connection needs from the AE that accepted it. */
export interface ConnectionContext {
  /** The AE's configuration. */
  config: AeConfig;
  /** How the client certificate is judged (with mutual authentication). */
  policy: VerificationPolicy;
  /** Associations established right now, across connections: the limit counts them. */
  associations: { active: number };
  /** Called once with this connection's way to end it now (A-ABORT, or close before any association). */
  onStop(stop: (why: string) => void): void;
}

/**
 * Serves one accepted TLS connection of the reference AE: our verdict on
 * the client certificate (with mutual authentication), the A-ASSOCIATE by
 * the AE policy and the association limit, then DIMSE requests until the
 * peer releases. Never rejects; returns the connection's log line.
 *
 * @example
 * ```ts
 * import { serveConnection, type ConnectionContext } from "./connection.ts";
 * import type { AcceptedTls } from "../tls/mod.ts";
 * declare const accepted: AcceptedTls;
 * declare const context: ConnectionContext;
 * const log = await serveConnection(accepted, context);
 * console.log(log.result);
 * ```
 */
export async function serveConnection(
  accepted: AcceptedTls,
  context: ConnectionContext,
): Promise<AssociationLog> {
  const { socket } = accepted;
  const { config } = context;
  const started = performance.now();
  const entry: AssociationLog = {
    time: new Date().toISOString(),
    peer: accepted.peer,
    tls: accepted.tls,
    result: "error",
    dimse: [],
    durationMs: 0,
  };
  let association: Association | undefined;
  let established = false;
  context.onStop((why) => {
    entry.detail = why;
    association ? association.abort() : socket.destroy();
  });
  // The whole association is bounded, however lively the peer.
  const lifetime = setTimeout(() => {
    entry.detail = `association timeout after ${config.associationTimeoutMs} ms`;
    association ? association.abort() : socket.destroy();
  }, config.associationTimeoutMs);
  try {
    describeClientCertificate(accepted.peerChain, entry);
    if (config.security.mutual) {
      const v = await verifyClient(accepted.peerChain, context);
      entry.verification = { method: v.method, ok: v.ok, reasons: v.reasons };
      if (!v.ok) {
        entry.result = "refused-by-verification";
        entry.detail = v.details.join("; ");
        return entry;
      }
    }
    association = await acceptAssociation({
      socket,
      maxPduLength: config.maxPduLength,
      timeoutMs: config.idleTimeoutMs,
      decide: (rq): AcceptDecision => {
        entry.callingAe = rq.callingAe.trim();
        entry.calledAe = rq.calledAe.trim();
        if (context.associations.active >= config.maxAssociations) {
          return { accept: false, ...LOCAL_LIMIT_EXCEEDED };
        }
        const d = decideAssociation(rq, {
          ae: config.ae,
          acceptCalling: config.acceptCalling,
          storage: config.storage !== undefined,
        });
        if (!d.accept) return { accept: false, ...d.reject };
        context.associations.active++;
        established = true;
        return d;
      },
    });
    entry.result = "accepted";
    await serveDimse(association, entry, config);
  } catch (e) {
    describeEnd(e, entry);
  } finally {
    clearTimeout(lifetime);
    if (established) context.associations.active--;
    entry.durationMs = Math.round(performance.now() - started);
  }
  return entry;
}

function describeClientCertificate(chain: Uint8Array[], entry: AssociationLog): void {
  if (!chain[0]) return;
  try {
    const info = certificateInfo(chain[0]);
    entry.peerCertificate = { subject: info.subject, sha1: info.sha1 };
  } catch { /* malformed: the verifier says so */ }
}

// Mutual authentication requires a certificate whatever the method (the verifier's `none` alone would pass).
function verifyClient(chain: Uint8Array[], context: ConnectionContext): Promise<Verification> {
  if (chain.length) return verifyPeer({ policy: context.policy, chain, purpose: "client" });
  return Promise.resolve({
    method: context.config.security.verify,
    ok: false,
    reasons: ["no-certificate"],
    details: ["no-certificate: mutual authentication is on and the peer presented no certificate"],
  });
}

async function serveDimse(
  association: Association,
  entry: AssociationLog,
  config: AeConfig,
): Promise<void> {
  while (true) {
    const served = await serveRequest(association, {
      config,
      // The association's lifetime bounds a message as a whole; silence is bounded per PDU.
      timeoutMs: config.associationTimeoutMs,
      idleTimeoutMs: config.idleTimeoutMs,
    });
    if (served === null) {
      await association.release({ timeoutMs: config.idleTimeoutMs });
      entry.released = true;
      return;
    }
    if ("unsupported" in served) {
      entry.result = "aborted";
      entry.detail = `unsupported ${
        commandName(served.message.command.CommandField)
      }: aborted by us`;
      await association.abort();
      return;
    }
    logDimse(entry, served.line);
  }
}

function logDimse(entry: AssociationLog, line: DimseLogLine): void {
  if (entry.dimse.length < MAX_LOGGED_DIMSE) entry.dimse.push(line);
  else entry.dimseNotListed = (entry.dimseNotListed ?? 0) + 1;
}

function describeEnd(e: unknown, entry: AssociationLog): void {
  if (e instanceof AssociationRejected) {
    entry.result = "rejected";
    entry.reject = { result: e.result, source: e.source, reason: e.reason };
    return;
  }
  entry.result = e instanceof AssociationAborted
    ? "aborted"
    : e instanceof AssociationTimeout
    ? "timeout"
    : entry.result === "accepted"
    ? "aborted"
    : "error";
  entry.detail ??= (e as Error).message;
}
