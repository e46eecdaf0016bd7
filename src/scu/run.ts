import type { Outcome, PduTrace } from "../outcome/mod.ts";
import { round, StageClock } from "./_clock.ts";
import { associateStage } from "./_associate.ts";
import { connectStage } from "./_connect.ts";
import { dimseStage } from "./_dimse.ts";
import { describeAssociationFailure } from "./_failure.ts";
import { releaseStage } from "./_release.ts";
import type { ScuOptions } from "./options.ts";

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
 * A `maxVersion` of TLSv1 or TLSv1.1 runs a legacy handshake probe instead
 * (node-forge, RSA CBC suites, our verifier not applied) and stops after the
 * TLS stage: no association, `ok` false.
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
  const pdus: PduTrace[] = [];
  const outcome: Outcome = {
    ok: false,
    stage: "tcp",
    target: { host: options.host, port: options.port },
    startedAt: new Date().toISOString(),
    durationMs: 0,
    timeline: clock.timeline,
    tcp: { status: "connected" },
    pdus,
  };
  const finish = () => ({ ...outcome, durationMs: round(performance.now() - clock.origin) });

  const connected = await connectStage(options, clock);
  outcome.tcp = connected.tcp;
  if (!connected.tls) return finish();
  outcome.stage = "tls";
  outcome.tls = connected.tls;
  const socket = connected.socket;
  if (!socket) {
    outcome.association = { result: "not-requested" };
    return finish();
  }

  outcome.stage = "association";
  const associated = await associateStage(socket, { ...options, tls: outcome.tls, pdus, clock });
  outcome.association = associated.association;
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
    socket.destroy();
    return finish();
  }

  outcome.stage = "release";
  await releaseStage(assoc, { association: associated.association, socket, clock });
  outcome.ok = dimse.status === "success" && associated.association.released === true;
  return finish();
}
