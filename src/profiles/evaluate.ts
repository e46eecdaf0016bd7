import type { ClientHelloInfo } from "../outcome/mod.ts";
import type { ProbeReport } from "../probe/mod.ts";
import {
  clientCapabilities,
  type PeerCapabilities,
  serverCapabilities,
  versionLabel,
} from "./capabilities.ts";
import { _checkRequirement } from "./_rules.ts";
import type { Profile, ProfileVerdict, RequirementResult, Rule } from "./types.ts";

/**
 * A profile's verdict on a probed server: each requirement checked against
 * what the probe found, each violation named with its source ("accepts TLS
 * 1.0 (forbidden by PS3.15 B.10)", "does not accept required suite
 * TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (IHE ITI TF-2 3.19.6.2.3)"). Pure.
 *
 * @example
 * ```ts
 * import { evaluateProfile } from "./evaluate.ts";
 * import { profileByName } from "./registry.ts";
 * import type { ProbeReport } from "../probe/mod.ts";
 * declare const report: ProbeReport;
 * const verdict = evaluateProfile(report, profileByName("bcp195-nd")!);
 * console.log(verdict.verdict, verdict.violations);
 * ```
 */
export function evaluateProfile(probe: ProbeReport, profile: Profile): ProfileVerdict {
  return evaluateCapabilities(serverCapabilities(probe), profile);
}

/**
 * A profile's verdict on a client from its ClientHello (what the SUT
 * offered when it connected to us): versions and suites offered where a
 * server's are accepted ("offers TLS 1.0 (forbidden by PS3.15 B.10)",
 * "does not offer required suite ..."). Without supported_versions a hello
 * does not show the oldest version a client takes: those requirements are
 * "unknown". Certificate requirements do not apply. Pure.
 *
 * @example
 * ```ts
 * import { evaluateClientHello } from "./evaluate.ts";
 * import { profileByName } from "./registry.ts";
 * import type { ClientHelloInfo } from "../outcome/mod.ts";
 * declare const hello: ClientHelloInfo;
 * evaluateClientHello(hello, profileByName("B.12")!).violations;
 * ```
 */
export function evaluateClientHello(hello: ClientHelloInfo, profile: Profile): ProfileVerdict {
  return evaluateCapabilities(clientCapabilities(hello), profile);
}

/**
 * The verdict of a profile on any peer's capabilities: "non-compliant"
 * when a "shall" requirement failed, "undetermined" when none failed but
 * one could not be known, "compliant" otherwise; failed "should"
 * requirements are warnings.
 *
 * @example
 * ```ts
 * import { evaluateCapabilities } from "./evaluate.ts";
 * import { PROFILES } from "./registry.ts";
 * import type { PeerCapabilities } from "./capabilities.ts";
 * declare const peer: PeerCapabilities;
 * PROFILES.map((p) => evaluateCapabilities(peer, p).verdict);
 * ```
 */
export function evaluateCapabilities(peer: PeerCapabilities, profile: Profile): ProfileVerdict {
  const requirements: RequirementResult[] = profile.requirements.map((r) => {
    const found = _checkRequirement(r, peer);
    const evidence = _evidence(r.rule, peer);
    return {
      id: r.id,
      text: r.text,
      level: r.level,
      cite: r.cite,
      ...found,
      ...(evidence.length > 0 ? { evidence } : {}),
    };
  });
  const shall = requirements.filter((r) => r.level === "shall");
  const failedShall = shall.filter((r) => r.status === "fail");
  return {
    profile: profile.name,
    title: profile.title,
    section: profile.section,
    role: peer.role,
    verdict: failedShall.length > 0
      ? "non-compliant"
      : shall.some((r) => r.status === "unknown")
      ? "undetermined"
      : "compliant",
    violations: failedShall.flatMap((r) => r.findings),
    warnings: requirements.filter((r) => r.level === "should" && r.status === "fail")
      .flatMap((r) => r.findings),
    requirements,
  };
}

/** The association evidence for the versions a version rule names. */
function _evidence(rule: Rule, peer: PeerCapabilities): string[] {
  if (!("versions" in rule) || !peer.evidence) return [];
  return peer.evidence.filter((e) => rule.versions.includes(e.version))
    .map((e) => `${versionLabel(e.version)}: ${e.result} (${e.detail})`);
}
