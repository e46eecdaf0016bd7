import type { AssociationOutcome, DimseOutcome, Outcome, WireObservation } from "../outcome/mod.ts";
import { type Association, PduTraces } from "../ul/mod.ts";
import { DimseError } from "../dimse/mod.ts";
import { abortStage, ourAbort } from "./_abort.ts";
import { round, StageClock } from "./_clock.ts";
import { associateStage } from "./_associate.ts";
import { connectStage } from "./_connect.ts";
import { dimseStage, unaskedMessage } from "./_dimse.ts";
import { describeAssociationFailure } from "./_failure.ts";
import { releaseStage } from "./_release.ts";

import type { ScuOptions } from "./options.ts";

// Plain DICOM to a port that answered in TLS: the port wants TLS, say so.
function describePlainRefusal(association: AssociationOutcome, wire: WireObservation): void {
  const first = wire.peerFirstBytes;
  if (!first || first.kind === "dicom-pdu") return;
  const why = first.kind === "tls"
    ? `the peer answered our plain A-ASSOCIATE-RQ with ${first.description}: it expects TLS`
    : `the peer answered with ${first.description}`;
  association.error = association.error ? `${association.error}; ${why}` : why;
}

// A message the peer sent after its last response and before its A-RELEASE-RP (which PS3.8
// allows it to send in Sta7) answered nothing we asked: the last operation did not end well,
// whatever its status said (that code is dropped, so that no expectation of it passes).
function unaskedBeforeRelease(assoc: Association, dimse: DimseOutcome): void {
  const last = dimse.operations.at(-1);
  const unasked = last && unaskedMessage(assoc, last.command);
  if (!unasked) return;
  delete last.status;
  last.statusName = `protocol violation by the peer: ${unasked} (it came before its A-RELEASE-RP)`;
  last.category = "failure";
  dimse.status = "failure";
}

/**
 * Runs one secure conversation as SCU: TCP, TLS (our verification of the
 * SCP), A-ASSOCIATE, the DIMSE operations, A-RELEASE, and returns the
 * {@linkcode Outcome} that says where and why it ended. Never rejects for
 * anything the peer does; a refusal is data. Each stage is a function of
 * its own that returns its part of the Outcome.
 *
 * A TLS 1.3 server that refuses our client certificate does so after our
 * handshake completed: the alert (or a bare close before any DICOM answer)
 * surfaces while we wait for the A-ASSOCIATE-AC, and is reported as a TLS
 * refusal by the peer, not an association failure.
 *
 * TLS 1.0/1.1, chosen suites, groups or signature algorithms, and keys
 * rustls refuses go through the OpenSSL stack (`tls.stack` says which spoke):
 * a real association over whatever was negotiated.
 *
 * @example
 * ```ts
 * import { runScu } from "./run.ts";
 * const outcome = await runScu({
 *   host: "127.0.0.1", port: 11112, callingAe: "DICOMTLS", calledAe: "STORESCP",
 *   policy: { method: "none" }, timeoutMs: 5000,
 * });
 * console.log(outcome.ok, outcome.stage, outcome.tls?.alert?.name);
 * ```
 */
export async function runScu(options: ScuOptions): Promise<Outcome> {
  const clock = new StageClock(options.timeoutMs);
  const pdus = new PduTraces();
  const outcome: Outcome = {
    ok: false,
    stage: "tcp",
    target: { host: options.host, port: options.port },
    startedAt: new Date().toISOString(),
    durationMs: 0,
    timeline: clock.timeline,
    tcp: { status: "connected" },
    pdus: [],
  };
  const connected = await connectStage(options, clock);
  const wire = connected.wire;
  const finish = (): Outcome => ({
    ...outcome,
    durationMs: round(performance.now() - clock.origin),
    pdus: pdus.list(),
    ...(pdus.notListed ? { pdusNotListed: pdus.notListed } : {}),
    ...(wire ? { wire: wire() } : {}),
  });
  outcome.tcp = connected.tcp;
  const socket = connected.socket;
  if (connected.tls) {
    outcome.stage = "tls";
    outcome.tls = connected.tls;
  } else if (!socket) return finish();
  if (!socket) {
    outcome.association = { result: "not-requested" };
    return finish();
  }

  outcome.stage = "association";
  const associated = await associateStage(socket, { ...options, tls: outcome.tls, pdus, clock });
  outcome.association = associated.association;
  if (options.plain && !associated.assoc && wire) {
    describePlainRefusal(associated.association, wire());
  }
  if (associated.lateTlsRefusal) outcome.stage = "tls";
  const assoc = associated.assoc;
  if (!assoc) return finish();

  outcome.stage = "dimse";
  const { dimse, failure } = await dimseStage(
    assoc,
    options.operations ?? [{ command: "C-ECHO" }],
    clock,
  );
  outcome.dimse = dimse;
  if (failure) {
    describeAssociationFailure(failure, associated.association, { established: true });
    // A DimseError is the peer's violation, on which the DIMSE layer already sent our A-ABORT.
    if (failure instanceof DimseError) ourAbort(associated.association);
    await abortStage(assoc, { association: associated.association, socket });
    return finish();
  }

  outcome.stage = "release";
  await releaseStage(assoc, { association: associated.association, socket, clock });
  unaskedBeforeRelease(assoc, dimse);
  outcome.ok = dimse.status === "success" && associated.association.released === true;
  return finish();
}
