import type { ProtocolVersionName } from "../outcome/mod.ts";
import { groupBits, PROBED_VERSIONS } from "../probe/mod.ts";
import { CIPHER_SUITES } from "../tls/wire/mod.ts";
import { type PeerCapabilities, type PeerSuite, versionLabel } from "./capabilities.ts";
import { _certificateChecks } from "./_certificate_rules.ts";
import { DHE_KEY_EXCHANGE, suiteMatches } from "./suite_filter.ts";
import type { Requirement, RequirementStatus, Rule } from "./types.ts";

/** What one rule found: its status and the findings that say why. */
export interface _Found {
  status: RequirementStatus;
  findings: string[];
}

/** The words of a finding for one peer and one requirement. */
export interface _Words {
  /** "accepts" or "offers". */
  does: string;
  /** "does not accept" or "does not offer". */
  doesNot: string;
  /** "forbidden by PS3.15 B.10" or "discouraged by ..." for a "should". */
  forbidden: string;
  /** "required by PS3.15 B.10" or "recommended by ...". */
  required: string;
  cite: string;
}

type Check<K extends Rule["kind"]> = (
  rule: Extract<Rule, { kind: K }>,
  peer: PeerCapabilities,
  w: _Words,
) => _Found;

const pass = (findings: string[] = []): _Found => ({ status: "pass", findings });
const na = (why: string): _Found => ({ status: "not-applicable", findings: [why] });
const label = versionLabel;

/** Fails with `failed`; else unknown with `unknown`; else passes. */
function verdict(failed: string[], unknown: string[] = []): _Found {
  if (failed.length > 0) return { status: "fail", findings: failed };
  if (unknown.length > 0) return { status: "unknown", findings: unknown };
  return pass();
}

const inVersions = (s: PeerSuite) => s.versions.map(label).join(", ");

/** Whether a suite missing from the list might only be missing for want of an answer. */
function mayBeMissing(peer: PeerCapabilities): boolean {
  return peer.suitesIncomplete.length > 0 ||
    Object.values(peer.versions).some((a) => a === "unknown");
}

/**
 * Why a suite that `matches` may be accepted by a server without our
 * knowing: suites of that kind whose hellos found no answer, and versions
 * not known at all (none of their suites was asked). A client's hello lists
 * every suite it offers: nothing is hidden there.
 */
function hidden(peer: PeerCapabilities, w: _Words, matches: (code: number) => boolean): string[] {
  if (peer.role === "client") return [];
  const suites = peer.unknownSuites.filter((s) => matches(s.code));
  const which = suites.length > 1
    ? `${suites[0].name} and ${
      suites.length - 1
    } more such suites is not known (no valid answer to their hellos)`
    : `${suites[0]?.name} is not known (no valid answer to its hello)`;
  return [
    ...(suites.length > 0 ? [`whether it ${w.does} ${which}`] : []),
    ...PROBED_VERSIONS.filter((v) =>
      peer.versions[v] === "unknown" &&
      CIPHER_SUITES.some((s) => !s.signaling && s.versions.includes(v) && matches(s.code))
    ).map((v) => `whether it ${w.does} ${label(v)} is not known`),
  ];
}

/** Each version of `versions` in state `bad` is a finding (`say`); unknown ones make it unknown. */
function versionCheck(
  versions: ProtocolVersionName[],
  peer: PeerCapabilities,
  w: _Words,
  bad: "accepted" | "refused",
  say: (v: ProtocolVersionName) => string,
): _Found {
  return verdict(
    versions.filter((v) => peer.versions[v] === bad).map(say),
    versions.filter((v) => peer.versions[v] === "unknown")
      .map((v) => `whether it ${w.does} ${label(v)} is not known`),
  );
}

const CHECKS: { [K in Rule["kind"]]: Check<K> } = {
  "version-forbidden": (rule, peer, w) =>
    versionCheck(
      rule.versions,
      peer,
      w,
      "accepted",
      (v) => `${w.does} ${label(v)} (${w.forbidden})`,
    ),
  "version-required": (rule, peer, w) =>
    versionCheck(
      rule.versions,
      peer,
      w,
      "refused",
      (v) => `${w.doesNot} ${label(v)} (${w.required})`,
    ),
  "version-any": (rule, peer, w) => {
    if (rule.versions.some((v) => peer.versions[v] === "accepted")) return pass();
    const names = rule.versions.map(label).join(" or ");
    if (rule.versions.some((v) => peer.versions[v] === "unknown")) {
      return verdict([], [`whether it ${w.does} ${names} is not known`]);
    }
    return verdict([`${w.doesNot} ${names} (${w.required})`]);
  },
  "suite-required": (rule, peer, w) => {
    if (rule.whenVersion && peer.versions[rule.whenVersion] !== "accepted") {
      const state = peer.versions[rule.whenVersion];
      return state === "unknown"
        ? verdict([], [`whether it ${w.does} ${label(rule.whenVersion)} is not known`])
        : na(`${w.doesNot} ${label(rule.whenVersion)}`);
    }
    const have = new Set(peer.suites.map((s) => s.name));
    const missing = rule.suites.filter((s) => !have.has(s));
    const what = w.required.startsWith("required") ? "required" : "recommended";
    if (missing.length > 0 && mayBeMissing(peer)) {
      return verdict([], missing.map((s) => `whether it ${w.does} ${s} is not known`));
    }
    return verdict(missing.map((s) => `${w.doesNot} ${what} suite ${s} (${w.cite})`));
  },
  "suite-any": (rule, peer, w) => {
    if (peer.suites.some((s) => rule.suites.includes(s.name))) return pass();
    if (mayBeMissing(peer)) return verdict([], ["some suites found no answer"]);
    return verdict([`${w.doesNot} any of ${rule.suites.join(", ")} (${w.required})`]);
  },
  "suite-forbidden": (rule, peer, w) =>
    verdict(
      peer.suites.filter((s) => suiteMatches(s.code, rule.match))
        .map((s) => `${w.does} ${s.name} in ${inVersions(s)}: ${rule.what} (${w.forbidden})`),
      hidden(peer, w, (code) => suiteMatches(code, rule.match)),
    ),
  "suite-only": (rule, peer, w) => {
    const allowed = (code: number) => rule.allowed.some((f) => suiteMatches(code, f));
    return verdict(
      peer.suites.filter((s) => !allowed(s.code))
        .map((s) => `${w.does} ${s.name} in ${inVersions(s)} (not permitted by ${w.cite})`),
      hidden(peer, w, (code) => !allowed(code)),
    );
  },
  "prefers-tls13": (_rule, peer, w) => {
    if (peer.role === "client") {
      return peer.versions["TLSv1.3"] === "accepted"
        ? pass(["offers TLS 1.3"])
        : na("does not offer TLS 1.3 (whether it supports it cannot be seen in a ClientHello)");
    }
    if (peer.versions["TLSv1.3"] !== "accepted" || peer.versions["TLSv1.2"] !== "accepted") {
      return na("TLS 1.3 and TLS 1.2 are not both accepted");
    }
    if (peer.prefersTls13 === undefined) {
      return verdict([], ["whether TLS 1.3 is preferred is not known"]);
    }
    return peer.prefersTls13
      ? pass(["chose TLS 1.3 when offered TLS 1.3 and 1.2"])
      : verdict([`chose TLS 1.2 when offered TLS 1.3 and 1.2 (${w.required})`]);
  },
  "dhe-min-bits": (rule, peer, w) => {
    const dhe = (code: number) => suiteMatches(code, DHE_KEY_EXCHANGE);
    const usesDhe = peer.suites.some((s) => dhe(s.code));
    const unknown = hidden(peer, w, dhe);
    if (peer.dhe.length === 0 && !usesDhe && unknown.length === 0) return na("no DHE");
    if (peer.dhe.length === 0 && usesDhe) unknown.unshift("the DHE group size was not seen");
    // A prime seen in one suite vouches for none other (a ServerHello may come without one).
    else {unknown.unshift(...(peer.dheNotSeen ?? []).map((w) =>
        `the DHE group size in ${w} was not seen`
      ));}
    return verdict(
      peer.dhe.filter((d) => d.bits < rule.bits)
        .map((d) =>
          `DHE group of ${d.bits} bits in ${d.where} (at least ${rule.bits} ${w.required})`
        ),
      unknown,
    );
  },
  "ecdhe-min-bits": (rule, peer, w) => {
    const small = peer.groups.filter((g) => (groupBits(g) ?? Infinity) < rule.bits);
    const failed = small.map((g) =>
      `${w.does} ECDHE group ${g} of ${groupBits(g)} bits (at least ${rule.bits} ${w.required})`
    );
    if (peer.groups.length === 0 && !peer.groupsKnown) {
      const usesEcdhe = peer.suites.some((s) => suiteMatches(s.code, { kx: ["ECDH", "any"] }));
      return usesEcdhe ? verdict([], ["the ECDHE groups were not probed"]) : na("no ECDHE");
    }
    return verdict(failed, peer.groupsKnown ? [] : ["some groups found no answer"]);
  },
  "certificate-key-min": (rule, peer, w) =>
    _certificateChecks(peer, (c) => c.keyTooSmall(rule.rsaBits, rule.ecBits, w.required)),
  "certificate-hash-forbidden": (rule, peer, w) =>
    _certificateChecks(peer, (c) => c.weakHash(rule.hashes, w.forbidden)),
};

/**
 * Checks one requirement against a peer.
 *
 * @example
 * ```ts
 * import { _checkRequirement } from "./_rules.ts";
 * import type { PeerCapabilities } from "./capabilities.ts";
 * import type { Requirement } from "./types.ts";
 * declare const peer: PeerCapabilities;
 * declare const requirement: Requirement;
 * _checkRequirement(requirement, peer).status;
 * ```
 */
export function _checkRequirement(requirement: Requirement, peer: PeerCapabilities): _Found {
  if (peer.error) {
    return { status: "unknown", findings: [peer.error] };
  }
  const should = requirement.level === "should";
  const server = peer.role === "server";
  const w: _Words = {
    does: server ? "accepts" : "offers",
    doesNot: server ? "does not accept" : "does not offer",
    forbidden: `${should ? "discouraged" : "forbidden"} by ${requirement.cite}`,
    required: `${should ? "recommended" : "required"} by ${requirement.cite}`,
    cite: requirement.cite,
  };
  const check = CHECKS[requirement.rule.kind] as Check<Rule["kind"]>;
  return check(requirement.rule, peer, w);
}
