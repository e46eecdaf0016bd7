import { Buffer } from "node:buffer";
import { certificateInfo } from "../tls/certificate_info.ts";
import { cipherSuite, type ProtocolVersionName } from "../tls/wire/mod.ts";
import { _versionControl } from "./_hellos.ts";
import { probeEcdheGroups, probeTls13Groups } from "./groups.ts";
import { probePreference, probePrefersTls13 } from "./preference.ts";
import {
  type AcceptedSuite,
  type NamedProbe,
  PROBED_VERSIONS,
  type ProbeReport,
  type VersionProbe,
} from "./report.ts";
import { type ControlQuestion, HelloScheduler, type HelloSchedulerOptions } from "./scheduler.ts";
import { probeSignatureAlgorithms, TLS13_SIGNATURES_NOTE } from "./signature_algorithms.ts";
import { probeSuites, type SuitesAnswer } from "./suites.ts";
import { probeVersion, type VersionAnswer } from "./versions.ts";

/** Options of {@linkcode probeTarget}: the target and how hard to press it. */
export type ProbeTargetOptions = HelloSchedulerOptions & {
  /** Versions to ask about; default SSLv3 to TLS 1.3. */
  versions?: readonly ProtocolVersionName[];
  /** Skip the groups, signature schemes and preference (versions and suites only). */
  quick?: boolean;
};

/**
 * Probes one TLS server with ClientHellos of our own and reads only its
 * answers (ServerHello, HelloRetryRequest, alert, close): which versions
 * it accepts (SSLv3 to TLS 1.3), which suites in each (every suite of the
 * IANA list valid in the version, one per hello), whose order decides, the
 * groups and signature schemes it accepts, whether it prefers TLS 1.3, and
 * its certificate chain (from a TLS <= 1.2 Certificate message). It never
 * completes a handshake, so it works as well against servers that require
 * a client certificate. Hellos run concurrently within the per-target
 * limit; a target that stops answering is slowed down to, not given up on
 * (see {@linkcode HelloScheduler}). Never rejects for what the target does.
 *
 * @example
 * ```ts
 * import { probeTarget } from "./probe_target.ts";
 * const report = await probeTarget({ host: "127.0.0.1", port: 2762 });
 * for (const v of report.versions) console.log(v.version, v.status, v.suites.map((s) => s.name));
 * ```
 */
export async function probeTarget(options: ProbeTargetOptions): Promise<ProbeReport> {
  const began = performance.now();
  const startedAt = new Date().toISOString();
  const scheduler = new HelloScheduler(options);
  const report: ProbeReport = {
    target: { host: options.host, port: options.port },
    startedAt,
    durationMs: 0,
    reached: false,
    versions: [],
    groups: [],
    signatureAlgorithms: [],
    hellos: { sent: 0, retries: 0, concurrency: 0, lowestConcurrency: 0 },
    notes: [],
  };
  const finish = () => {
    const s = scheduler.stats();
    report.hellos = {
      sent: s.hellos,
      retries: s.retries,
      concurrency: s.limit,
      lowestConcurrency: s.lowestLimit,
    };
    if (s.gone) report.notes.push(s.gone);
    if (s.changed) {
      report.changed = s.changed;
      report.notes.push(`${s.changed}: its refusals may be that change, not its configuration`);
    }
    report.durationMs = Math.round(performance.now() - began);
    return report;
  };
  // TLS 1.2 first, alone: a target that is not there, or not TLS, is told at once. A silent one
  // after one deadline: its retries would only multiply the wait for the same silence.
  const first = await probeVersion(scheduler, "TLSv1.2", { retryTimeouts: false });
  const unreachable = _unreachable(first);
  if (unreachable) {
    report.error = unreachable;
    return finish();
  }
  const wanted = options.versions ?? PROBED_VERSIONS;
  const answers = await Promise.all(
    wanted.map((v) => v === "TLSv1.2" ? first : probeVersion(scheduler, v)),
  );
  report.reached = answers.some((a) =>
    a.raw.status === "answered" && a.raw.result.observation.peerSpokeTls
  );
  if (!report.reached) {
    // Not one TLS record came back: no TLS server answered, so nothing was refused either.
    report.error = _noTls(answers);
    return finish();
  }
  const controls = _controls(scheduler, answers);
  const suites = await Promise.all(
    answers.map((a) => a.status === "accepted" ? probeSuites(scheduler, a.version) : undefined),
  );
  report.versions = answers.map((a, i) => _versionProbe(a, suites[i]));
  _chain(report, suites);
  if (!options.quick) await _details(scheduler, report);
  await scheduler.recheck(controls); // the last word: does the target still answer as at first?
  return finish();
}

/**
 * The control questions: the version hellos, asked again at the end; the
 * first the target accepted (TLS 1.2 when it did) also during the probe
 * (see `HelloScheduler.control`).
 */
function _controls(scheduler: HelloScheduler, answers: VersionAnswer[]): ControlQuestion[] {
  const first = answers.find((a) => a.version === "TLSv1.2" && a.status === "accepted") ??
    answers.findLast((a) => a.status === "accepted");
  const control = first && _versionControl(first);
  if (control) scheduler.control(control);
  return answers.filter((a) => a !== first).map(_versionControl).filter((q) => q !== undefined);
}

function _unreachable(first: VersionAnswer): string | undefined {
  const raw = first.raw;
  if (raw.status === "unknown") return raw.why;
  if (raw.result.status === "not-tls") return first.answer;
  return undefined;
}

/** Why no hello got a TLS answer: each distinct answer once, e.g. "closed without an answer". */
function _noTls(answers: VersionAnswer[]): string {
  const said = [...new Set(answers.map((a) => a.answer))];
  return `no TLS answer to any hello (${said.join("; ")})`;
}

function _versionProbe(a: VersionAnswer, s: SuitesAnswer | undefined): VersionProbe {
  return {
    version: a.version,
    status: a.status,
    answer: a.answer,
    suites: s?.accepted ?? [],
    suitesProbed: s?.probed ?? 0,
    suitesUnknown: s?.unknown ?? [],
  };
}

function _chain(report: ProbeReport, suites: (SuitesAnswer | undefined)[]): void {
  const withChain = suites.find((s) => s?.certificates);
  if (withChain?.certificates) {
    report.certificates = withChain.certificates.map((b64) => {
      try {
        return certificateInfo(new Uint8Array(Buffer.from(b64, "base64")));
      } catch {
        report.notes.push("the server sent a certificate that is not X.509 DER");
        return undefined;
      }
    }).filter((c) => c !== undefined);
  } else {
    const note = _noChainNote(report);
    if (note) report.notes.push(note);
  }
  const asked = suites.map((s) => s?.certificateRequested).filter((r) => r !== undefined);
  if (asked.length > 0) report.certificateRequested = asked.some((r) => r);
}

/** Why no chain was read, in the words of what happened; undefined when nothing was accepted. */
function _noChainNote(report: ProbeReport): string | undefined {
  const accepted = report.versions.filter((v) => v.status === "accepted").map((v) => v.version);
  const legacy = accepted.filter((v) => v !== "TLSv1.3");
  if (legacy.length > 0) {
    return `no certificate chain read: ${
      legacy.join(", ")
    } accepted, but no answer to its suite hellos carried a Certificate message`;
  }
  if (accepted.length === 0) return undefined;
  return "no certificate chain read: only TLS 1.3 was accepted, and TLS 1.3 encrypts the Certificate message";
}

/** Preference per version, TLS 1.3 preferred or not, groups and signature schemes, all at once. */
async function _details(scheduler: HelloScheduler, report: ProbeReport): Promise<void> {
  const accepted = (v: ProtocolVersionName) =>
    report.versions.find((p) => p.version === v && p.status === "accepted")?.suites ?? [];
  const codes = (list: AcceptedSuite[]) => list.map((s) => s.code);
  const work: Promise<unknown>[] = [];
  for (const v of report.versions) {
    if (v.suites.length < 2) continue;
    work.push(probePreference(scheduler, v.version, v.suites).then((p) => v.preference = p));
  }
  const tls12 = accepted("TLSv1.2");
  const tls13 = accepted("TLSv1.3");
  if (tls12.length > 0 && tls13.length > 0) {
    work.push(
      probePrefersTls13(scheduler, { tls12: codes(tls12), tls13: codes(tls13) }).then((p) => {
        if (p === undefined) report.notes.push("whether TLS 1.3 is preferred: no answer");
        else report.prefersTls13 = p;
      }),
    );
  }
  const groups: Promise<NamedProbe>[] = [];
  if (tls13.length > 0) groups.push(probeTls13Groups(scheduler, codes(tls13)));
  const ecdhe = _newestWith(report, (s) => cipherSuite(s.code)?.kx === "ECDH");
  if (ecdhe) groups.push(probeEcdheGroups(scheduler, ecdhe.version, codes(ecdhe.suites)));
  const signatures: Promise<NamedProbe>[] = [];
  const signed = tls12.filter((s) => _signedKeyExchange(s.code));
  if (signed.length > 0) {
    signatures.push(probeSignatureAlgorithms(scheduler, "TLSv1.2", codes(signed)));
  }
  if (tls13.length > 0) report.notes.push(TLS13_SIGNATURES_NOTE);
  const [g, s] = await Promise.all([Promise.all(groups), Promise.all(signatures), ...work]);
  report.groups = g as NamedProbe[];
  report.signatureAlgorithms = s as NamedProbe[];
}

/** The newest TLS <= 1.2 version with accepted suites that pass `keep`, and those suites. */
function _newestWith(
  report: ProbeReport,
  keep: (s: AcceptedSuite) => boolean,
): { version: ProtocolVersionName; suites: AcceptedSuite[] } | undefined {
  for (const v of [...report.versions].reverse()) {
    if (v.version === "TLSv1.3") continue;
    const suites = v.suites.filter(keep);
    if (suites.length > 0) return { version: v.version, suites };
  }
  return undefined;
}

function _signedKeyExchange(code: number): boolean {
  const s = cipherSuite(code);
  return !!s && (s.kx === "ECDH" || s.kx === "DH") && ["RSA", "ECDSA", "DSS"].includes(s.au);
}
