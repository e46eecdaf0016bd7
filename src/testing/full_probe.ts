/**
 * Exemplar probe reports and profile verdicts: one with every optional
 * field set (for the results schema drift test) and a storescp `+px`-like
 * server as the prober measured it, for the reporters' tests.
 *
 * @module
 */
import type { ProbeReport } from "../probe/report.ts";
import type { ProfileVerdict } from "../profiles/types.ts";
import type { Full } from "./full_run.ts";
import { SAMPLE_SERVER_CERTIFICATE as server, sampleTime as iso } from "./sample_outcomes.ts";

const AES128_SHA = {
  code: 0x002f,
  name: "TLS_RSA_WITH_AES_128_CBC_SHA",
  openssl: "AES128-SHA",
  keyExchange: "RSA",
};

/**
 * A probe report with every optional field set (not a coherent server).
 *
 * @example
 * ```ts
 * import { fullProbe } from "./full_probe.ts";
 * fullProbe().versions.length; // 5
 * ```
 */
export function fullProbe(): Full<ProbeReport> {
  const report = samplePxProbe() as Full<ProbeReport>;
  report.error = "none";
  report.changed = "none";
  report.prefersTls13 = true;
  report.certificateRequested = true;
  report.certificates = [server];
  report.versions[3].suites[1] = {
    code: 0xc02f,
    name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    openssl: "ECDHE-RSA-AES128-GCM-SHA256",
    keyExchange: "ECDH secp256r1",
    dhBits: 0,
    group: "secp256r1",
  };
  report.versions[3].suitesUnknown = [{ name: "TLS_RSA_WITH_NULL_SHA", why: "no answer" }];
  report.versions[3].preference = { order: "server", serverOrder: ["a", "b"] };
  report.evidence = [{
    version: "TLSv1",
    result: "echoed",
    detail: "TLSv1 TLS_RSA_WITH_AES_128_CBC_SHA, A-ASSOCIATE-AC, C-ECHO Success",
    protocol: "TLSv1",
    cipher: "TLS_RSA_WITH_AES_128_CBC_SHA",
    durationMs: 30,
  }];
  report.groups[0].unknown = [{ name: "x448", why: "no answer" }];
  report.signatureAlgorithms[0].unknown = [{ name: "ed448", why: "no answer" }];
  return report;
}

/**
 * What the prober found against storescp `+px` with an RSA key (TLS 1.0 and
 * 1.1 with AES128-SHA only), plus hostile text in a certificate subject and
 * a note, for the reporters.
 *
 * @example
 * ```ts
 * import { samplePxProbe } from "./full_probe.ts";
 * samplePxProbe().versions[1].status; // "accepted"
 * ```
 */
export function samplePxProbe(): ProbeReport {
  const gcm = (code: number, name: string, keyExchange: string) => ({ code, name, keyExchange });
  return {
    target: { host: "127.0.0.1", port: 11112 },
    startedAt: iso(0),
    durationMs: 1200,
    reached: true,
    versions: [
      {
        version: "SSLv3",
        status: "refused",
        answer: "alert handshake_failure",
        suites: [],
        suitesProbed: 0,
        suitesUnknown: [],
      },
      {
        version: "TLSv1",
        status: "accepted",
        answer: "ServerHello TLSv1 TLS_RSA_WITH_AES_128_CBC_SHA",
        suites: [AES128_SHA],
        suitesProbed: 179,
        suitesUnknown: [],
      },
      {
        version: "TLSv1.1",
        status: "accepted",
        answer: "ServerHello TLSv1.1 TLS_RSA_WITH_AES_128_CBC_SHA",
        suites: [AES128_SHA],
        suitesProbed: 158,
        suitesUnknown: [],
      },
      {
        version: "TLSv1.2",
        status: "accepted",
        answer: "ServerHello TLSv1.2 TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        suites: [
          AES128_SHA,
          { ...gcm(0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DH 2048"), dhBits: 2048 },
          gcm(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDH secp256r1"),
        ],
        suitesProbed: 331,
        suitesUnknown: [],
      },
      {
        version: "TLSv1.3",
        status: "refused",
        answer: "alert protocol_version",
        suites: [],
        suitesProbed: 0,
        suitesUnknown: [],
      },
    ],
    groups: [{ version: "TLSv1.2", accepted: ["secp256r1"], probed: 41, unknown: [] }],
    signatureAlgorithms: [{
      version: "TLSv1.2",
      accepted: ["rsa_pss_rsae_sha256"],
      probed: 24,
      unknown: [],
    }],
    certificates: [{ ...server, subject: "CN=evil\u001b[2J\u202e" }],
    hellos: { sent: 835, retries: 0, concurrency: 8, lowestConcurrency: 8 },
    notes: ["a note with \u001b[31m"],
  };
}

/**
 * A profile verdict with every optional field set: B.10 on `+px`.
 *
 * @example
 * ```ts
 * import { fullVerdict } from "./full_probe.ts";
 * fullVerdict().verdict; // "non-compliant"
 * ```
 */
export function fullVerdict(): Full<ProfileVerdict> {
  return {
    profile: "bcp195-nd",
    title: "Non-Downgrading BCP 195 TLS Secure Transport Connection Profile",
    section: "PS3.15 B.10",
    role: "server",
    verdict: "non-compliant",
    violations: ["accepts TLS 1.0 (forbidden by PS3.15 B.10)"],
    warnings: [
      "accepts TLS_RSA_WITH_AES_128_CBC_SHA in TLS 1.0: RSA key transport (discouraged by PS3.15 B.10, RFC 7525 4.1)",
    ],
    requirements: [{
      id: "no-tls10-tls11",
      text: "shall not negotiate TLS version 1.1 or TLS version 1.0",
      level: "shall",
      cite: "PS3.15 B.10",
      status: "fail",
      findings: ["accepts TLS 1.0 (forbidden by PS3.15 B.10)"],
      evidence: [
        "TLS 1.0: echoed (TLSv1 TLS_RSA_WITH_AES_128_CBC_SHA, A-ASSOCIATE-AC, C-ECHO Success)",
      ],
    }],
  };
}
