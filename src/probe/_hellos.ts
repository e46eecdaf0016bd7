import {
  CIPHER_SUITES,
  type CipherSuite,
  type ClientHelloOptions,
  type ProbeResult,
  type ProtocolVersionName,
  type ServerHelloInfo,
} from "../tls/wire/mod.ts";
import type { Acceptance, NamedProbe } from "./report.ts";
import type { ControlQuestion, HelloAnswer } from "./scheduler.ts";
import type { VersionAnswer } from "./versions.ts";

/** The suites a hello in `version` may offer: valid in that version, no signalling values. */
export function _suitesFor(version: ProtocolVersionName): CipherSuite[] {
  return CIPHER_SUITES.filter((s) => !s.signaling && s.versions.includes(version));
}

/** What a hello for one version offers beyond its suites. */
export interface _HelloParts {
  suites: readonly (number | string)[];
  groups?: (number | string)[];
  keyShares?: (number | string)[];
  signatureAlgorithms?: (number | string)[];
}

/**
 * A ClientHello for exactly one version: TLS 1.3 through supported_versions
 * (with X25519 and P-256 key shares, so that most servers answer with a
 * ServerHello rather than a HelloRetryRequest); older versions through
 * legacy_version alone, as their clients did.
 */
export function _helloFor(version: ProtocolVersionName, parts: _HelloParts): ClientHelloOptions {
  const base: ClientHelloOptions = {
    cipherSuites: [...parts.suites],
    ...(parts.groups ? { groups: parts.groups } : {}),
    ...(parts.signatureAlgorithms ? { signatureAlgorithms: parts.signatureAlgorithms } : {}),
  };
  if (version !== "TLSv1.3") return { ...base, version };
  return {
    ...base,
    version: "TLSv1.2",
    versions: ["TLSv1.3"],
    keyShares: parts.keyShares ?? ["x25519", "secp256r1"],
  };
}

/** The hello that asks whether a version is accepted: that version and every suite valid in it. */
export function _versionHello(version: ProtocolVersionName): ClientHelloOptions {
  return _helloFor(version, { suites: _suitesFor(version).map((s) => s.code) });
}

/** The valid ServerHello (or HelloRetryRequest, which also names version and suite) of an answer. */
export function _hello(answer: HelloAnswer): ServerHelloInfo | undefined {
  const r = _decided(answer);
  return typeof r === "string" ? undefined : r.serverHello ?? r.helloRetryRequest;
}

/**
 * The server's answer when it decides the question (a ServerHello,
 * HelloRetryRequest, alert or close), else why it decides nothing, neither
 * acceptance nor refusal: no answer after the retries, bytes that are not
 * TLS, or TLS records that are no valid answer to the hello (a suite or
 * version not offered, ...).
 */
export function _decided(answer: HelloAnswer): ProbeResult | string {
  if (answer.status === "unknown") return answer.why;
  const r = answer.result;
  return r.status === "invalid" || r.status === "not-tls" ? _describeResult(r) : r;
}

/** The server chose `version` (and, when given, `suite`): what "accepted" means for a probe. */
export function _chose(
  answer: HelloAnswer,
  version: ProtocolVersionName,
  suite?: number,
): ServerHelloInfo | undefined {
  const hello = _hello(answer);
  if (!hello || hello.version.name !== version) return undefined;
  return suite === undefined || hello.cipherSuite.code === suite ? hello : undefined;
}

/**
 * What the server answered, in a few words for reports: "ServerHello
 * TLSv1.2 TLS_...", "alert protocol_version", "closed without an answer",
 * "not TLS: ...", or why there was no answer.
 */
export function _describe(answer: HelloAnswer): string {
  if (answer.status === "unknown") return `unknown: ${answer.why}`;
  return _describeResult(answer.result);
}

function _describeResult(r: ProbeResult): string {
  if (r.status === "invalid") return `invalid answer: ${r.error}`;
  const hello = r.serverHello ?? r.helloRetryRequest;
  if (hello) {
    const kind = hello.helloRetryRequest ? "HelloRetryRequest" : "ServerHello";
    return `${kind} ${hello.version.name} ${hello.cipherSuite.name}`;
  }
  if (r.alert) {
    return `alert ${r.alert.description.name}${
      r.alert.level === "fatal" ? "" : ` (${r.alert.level})`
    }`;
  }
  if (r.status === "not-tls") return `not TLS: ${r.firstBytes?.description ?? "unknown bytes"}`;
  const how = r.peerClosed === "reset" ? "reset" : "closed";
  return r.peerSent === "nothing" ? `${how} without an answer` : `${how} after ${r.peerSent} bytes`;
}

/** Why a TLS <= 1.2 ServerHello without a ServerKeyExchange after it leaves a curve or scheme unknown. */
export const _NO_SKE = "no ServerKeyExchange";

/**
 * Asks `accepts` about each item of one version, all at once (the
 * scheduler paces them): true is accepted, false refused, a string why
 * there was no answer. Shared by the group and signature probes.
 */
export async function _probeEach(
  version: ProtocolVersionName,
  items: readonly { code: number; name: string }[],
  accepts: (code: number) => Promise<boolean | string>,
): Promise<NamedProbe> {
  const out: NamedProbe = { version, accepted: [], probed: items.length, unknown: [] };
  const found = await Promise.all(items.map((item) => accepts(item.code)));
  items.forEach((item, i) => {
    const f = found[i];
    if (f === true) out.accepted.push(item.name);
    else if (typeof f === "string") out.unknown.push({ name: item.name, why: f });
  });
  return out;
}

/**
 * The version question again, as the control of a probe (see
 * `HelloScheduler.control`): its answer must be the first one, the same
 * version and suite when it was accepted, a refusal when it was refused.
 * Undefined for a first answer that decided nothing.
 */
export function _versionControl(first: VersionAnswer): ControlQuestion | undefined {
  const chosen = _chose(first.raw, first.version);
  if (first.status === "unknown") return undefined;
  return {
    asked: `the ${first.version} hello`,
    hello: _versionHello(first.version),
    expected: first.answer,
    differs: (a) => {
      const now = _acceptance(a, first.version);
      const same = now === "unknown" ||
        (chosen ? !!_chose(a, first.version, chosen.cipherSuite.code) : now === "refused");
      return same ? undefined : _describe(a);
    },
  };
}

/** Accepted: the server chose `version`; refused: another answer; unknown: none that decides. */
export function _acceptance(raw: HelloAnswer, version: ProtocolVersionName): Acceptance {
  if (typeof _decided(raw) === "string") return "unknown";
  return _chose(raw, version) ? "accepted" : "refused";
}
