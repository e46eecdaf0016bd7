import { gatherEvidence, type ProbeReport, probeTarget } from "../probe/mod.ts";
import { evaluateProfile, profileByName, type ProfileVerdict } from "../profiles/mod.ts";
import type { TlsCredentials } from "../tls/mod.ts";

/** What the association evidence of a probe needs from the case that asked first. */
export interface EvidenceSettings {
  credentials?: TlsCredentials;
  callingAe: string;
  calledAe: string;
}

/**
 * The profile checks of one suite instance's target: the target is probed
 * (and the association evidence gathered) once, when the first case that
 * expects a `profile` asks, and every such case of the instance reuses
 * that report. Each case gets the verdicts of the profiles it names.
 *
 * @example
 * ```ts
 * import { TargetProfiles } from "./profile_check.ts";
 * const profiles = new TargetProfiles({ host: "127.0.0.1", port: 11112 });
 * const verdicts = await profiles.verdicts(["bcp195-nd"], { callingAe: "DICOMTLS", calledAe: "STORESCP" });
 * console.log(verdicts[0].verdict, profiles.report?.versions.length);
 * ```
 */
export class TargetProfiles {
  #probe?: Promise<ProbeReport>;
  #report?: ProbeReport;

  constructor(readonly target: { host: string; port: number }) {}

  /** The probe report, once a case asked for one (for the suite's result). */
  get report(): ProbeReport | undefined {
    return this.#report;
  }

  /**
   * The verdicts of the named profiles (names or aliases) on the target,
   * probing it first if no case did yet. An unknown name throws (the
   * loader checks names, so it is our bug).
   */
  async verdicts(names: readonly string[], evidence: EvidenceSettings): Promise<ProfileVerdict[]> {
    const profiles = names.map((n) => {
      const p = profileByName(n);
      if (!p) throw new Error(`Cannot check profile '${n}': no such profile`);
      return p;
    });
    this.#probe ??= this.#run(evidence);
    const report = await this.#probe;
    return profiles.map((p) => evaluateProfile(report, p));
  }

  async #run(settings: EvidenceSettings): Promise<ProbeReport> {
    const report = await probeTarget(this.target);
    if (report.reached) {
      report.evidence = await gatherEvidence(report, {
        ...this.target,
        callingAe: settings.callingAe,
        calledAe: settings.calledAe,
        ...(settings.credentials ? { credentials: settings.credentials } : {}),
      });
    }
    this.#report = report;
    return report;
  }
}
