import type { CertificateInfo, ClientHelloInfo, ProtocolVersionName } from "../outcome/mod.ts";
import {
  type Acceptance,
  type AssociationEvidence,
  groupBits,
  PROBED_VERSIONS,
  type ProbeReport,
} from "../probe/mod.ts";
import { cipherSuite } from "../tls/wire/mod.ts";
import { DHE_KEY_EXCHANGE, suiteMatches } from "./suite_filter.ts";

/** A suite a peer accepts (server) or offers (client), and in which versions. */
export interface PeerSuite {
  /** The IANA code. */
  code: number;
  /** IANA name (else OpenSSL name, else the code). */
  name: string;
  /** The versions it was accepted or offered in. */
  versions: ProtocolVersionName[];
}

/**
 * What a profile is checked against, the same for a probed server and a
 * client's ClientHello: versions accepted or offered, suites, groups, DHE
 * sizes, certificates. Plain data.
 */
export interface PeerCapabilities {
  /** Whose capabilities: a server probed, or a client by its ClientHello. */
  role: "server" | "client";
  /** Per version: accepted (offered), refused (not offered), or unknown. */
  versions: Record<ProtocolVersionName, Acceptance>;
  /** The suites, each with its versions. */
  suites: PeerSuite[];
  /** Versions whose suite list may be incomplete (hellos without an answer). */
  suitesIncomplete: ProtocolVersionName[];
  /** Server: the suites whose hellos found no answer (they may be accepted), with their versions. */
  unknownSuites: PeerSuite[];
  /** Server: chose TLS 1.3 over 1.2 when offered both; absent when not known. */
  prefersTls13?: boolean;
  /** DHE primes seen (TLS <= 1.2 ServerKeyExchange; TLS 1.3 or offered ffdhe groups). */
  dhe: { where: string; bits: number }[];
  /** Server: DHE suites accepted in TLS <= 1.2 whose prime was not seen (no ServerKeyExchange came). */
  dheNotSeen?: string[];
  /** ECDHE and TLS 1.3 EC groups accepted (offered). */
  groups: string[];
  /** False when groups were not (or not all) probed. */
  groupsKnown: boolean;
  /** The server's certificates, leaf first; absent when none were seen. */
  certificates?: CertificateInfo[];
  /** Server: a real association per accepted version, when gathered. */
  evidence?: AssociationEvidence[];
  /** Why the peer could not be looked at all (an unreachable target, one that changed under the probe). */
  error?: string;
}

/**
 * The capabilities a probe found in a server.
 *
 * @example
 * ```ts
 * import { serverCapabilities } from "./capabilities.ts";
 * import type { ProbeReport } from "../probe/mod.ts";
 * declare const report: ProbeReport;
 * serverCapabilities(report).versions["TLSv1"]; // "accepted"
 * ```
 */
export function serverCapabilities(report: ProbeReport): PeerCapabilities {
  const versions = _versions(() => "unknown");
  const bySuite = new Map<number, PeerSuite>();
  const dhe: PeerCapabilities["dhe"] = [];
  const dheNotSeen: string[] = [];
  const incomplete: ProtocolVersionName[] = [];
  const unknown = new Map<number, PeerSuite>();
  for (const v of report.versions) {
    versions[v.version] = v.status;
    if (v.suitesUnknown.length > 0) incomplete.push(v.version);
    for (const u of v.suitesUnknown) {
      const s = cipherSuite(u.name);
      if (!s) continue;
      const entry = unknown.get(s.code) ?? { code: s.code, name: u.name, versions: [] };
      entry.versions.push(v.version);
      unknown.set(s.code, entry);
    }
    for (const s of v.suites) {
      const entry = bySuite.get(s.code) ?? { code: s.code, name: s.name, versions: [] };
      entry.versions.push(v.version);
      bySuite.set(s.code, entry);
      const where = `${s.name} (${_label(v.version)})`;
      if (s.dhBits !== undefined) dhe.push({ where, bits: s.dhBits });
      else if (v.version !== "TLSv1.3" && suiteMatches(s.code, DHE_KEY_EXCHANGE)) {
        dheNotSeen.push(where);
      }
    }
  }
  const groups = new Set(report.groups.flatMap((g) => g.accepted));
  for (const v of report.versions) for (const s of v.suites) if (s.group) groups.add(s.group);
  for (const g of groups) {
    const bits = g.startsWith("ffdhe") ? groupBits(g) : undefined;
    if (bits !== undefined) dhe.push({ where: `${g} (TLS 1.3)`, bits });
  }
  return {
    role: "server",
    versions,
    suites: [...bySuite.values()].sort((a, b) => a.code - b.code),
    suitesIncomplete: incomplete,
    unknownSuites: [...unknown.values()].sort((a, b) => a.code - b.code),
    ...(report.prefersTls13 !== undefined ? { prefersTls13: report.prefersTls13 } : {}),
    dhe,
    ...(dheNotSeen.length > 0 ? { dheNotSeen } : {}),
    groups: [...groups].filter((g) => !g.startsWith("ffdhe")).sort(),
    groupsKnown: report.groups.length > 0 && report.groups.every((g) => g.unknown.length === 0),
    ...(report.certificates ? { certificates: report.certificates } : {}),
    ...(report.evidence ? { evidence: report.evidence } : {}),
    ..._unreached(report),
  };
}

/**
 * A report without a TLS answer is not looked at: its versions are no facts
 * (not refusals). Nor is one whose target changed its answers under the
 * probe: which refusals were its configuration and which the change is not
 * known.
 */
function _unreached(report: ProbeReport): Pick<PeerCapabilities, "error"> {
  if (report.error) return { error: `the target was not probed: ${report.error}` };
  if (!report.reached) {
    return { error: "the target was not probed: it gave no TLS answer to any hello" };
  }
  return report.changed ? { error: `no verdict on a target that changed: ${report.changed}` } : {};
}

/**
 * The capabilities a ClientHello shows: versions offered (from
 * supported_versions; without it only legacy_version is known, the oldest
 * version a client would take is not), suites and groups offered.
 *
 * @example
 * ```ts
 * import { clientCapabilities } from "./capabilities.ts";
 * import type { ClientHelloInfo } from "../outcome/mod.ts";
 * declare const hello: ClientHelloInfo;
 * clientCapabilities(hello).suites.map((s) => s.name);
 * ```
 */
export function clientCapabilities(hello: ClientHelloInfo): PeerCapabilities {
  const offered = new Set(hello.offeredVersions);
  const legacy = hello.legacyVersion.name;
  // Without supported_versions a hello names its newest version only.
  const newest = PROBED_VERSIONS.indexOf(legacy as ProtocolVersionName);
  const known = (v: ProtocolVersionName) =>
    hello.supportedVersions !== undefined || PROBED_VERSIONS.indexOf(v) >= newest;
  const versions = _versions((v) =>
    known(v) ? (offered.has(v) ? "accepted" : "refused") : "unknown"
  );
  const inVersions = PROBED_VERSIONS.filter((v) => versions[v] === "accepted");
  const suites: PeerSuite[] = [];
  for (const ref of hello.cipherSuites) {
    const s = cipherSuite(ref.code);
    if (!s || s.signaling || ref.grease) continue;
    suites.push({
      code: s.code,
      name: s.iana ?? s.openssl ?? String(s.code),
      versions: inVersions.filter((v) => s.versions.includes(v)),
    });
  }
  const groupNames = (hello.supportedGroups ?? []).filter((g) => !g.grease).map((g) => g.name);
  return {
    role: "client",
    versions,
    suites,
    suitesIncomplete: [],
    unknownSuites: [],
    dhe: groupNames.filter((g) => g.startsWith("ffdhe"))
      .map((g) => ({ where: `${g} (offered)`, bits: groupBits(g) ?? 0 })),
    groups: groupNames.filter((g) => !g.startsWith("ffdhe")),
    groupsKnown: true,
  };
}

function _versions(
  of: (v: ProtocolVersionName) => Acceptance,
): Record<ProtocolVersionName, Acceptance> {
  return Object.fromEntries(PROBED_VERSIONS.map((v) => [v, of(v)])) as Record<
    ProtocolVersionName,
    Acceptance
  >;
}

/**
 * A version as people write it: "SSL 3.0", "TLS 1.0", ... "TLS 1.3".
 *
 * @example
 * ```ts
 * import { versionLabel } from "./capabilities.ts";
 * versionLabel("TLSv1"); // "TLS 1.0"
 * ```
 */
export function versionLabel(version: string): string {
  return _label(version);
}

function _label(v: string): string {
  if (v === "SSLv3") return "SSL 3.0";
  if (v === "TLSv1") return "TLS 1.0";
  return v.replace(/^TLSv/, "TLS ");
}
