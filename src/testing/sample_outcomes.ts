/**
 * Outcomes of one conversation for the reporter tests, each a realistic
 * record of one ending: C-ECHO success, TLS refused by the peer with an
 * alert, refused by our verifier, association rejected and aborted, TCP
 * refused. Times are fixed ({@linkcode sampleTime}), so renderings compare.
 *
 * @module
 */
import type { CertificateInfo, Outcome, PduTrace } from "../outcome/mod.ts";

const T0 = Date.parse("2026-11-28T10:00:00.000Z");

/**
 * The ISO 8601 time `ms` milliseconds after the sample runs began
 * (2026-11-28T10:00:00Z), so that every sample is the same on every run.
 *
 * @example
 * ```ts
 * import { sampleTime } from "./sample_outcomes.ts";
 * sampleTime(1500); // "2026-11-28T10:00:01.500Z"
 * ```
 */
export function sampleTime(ms: number): string {
  return new Date(T0 + ms).toISOString();
}
const iso = sampleTime;

const root: CertificateInfo = {
  subject: "CN=dicomtls test root,O=dicomtls",
  issuer: "CN=dicomtls test root,O=dicomtls",
  serial: "01",
  notBefore: "2026-01-01T00:00:00.000Z",
  notAfter: "2036-01-01T00:00:00.000Z",
  key: "EC P-256",
  signatureAlgorithm: "ecdsa-with-SHA256",
  san: [],
  sha1: "3F2A9C41D0E7B8A65C1E0F9D2B7A4C3E8F6D1A20",
  sha256: "9B1C5E7F3A2D4C6B8E0F1A3C5E7D9B2F4A6C8E0D1F3B5A7C9E2D4F6A8C0E1B3D",
};
const intermediate: CertificateInfo = {
  ...root,
  subject: "CN=dicomtls issuing CA,O=dicomtls",
  serial: "02",
  sha1: "7C0D2E4F6A8B1C3D5E7F9A0B2C4D6E8F1A3B5C7D",
  sha256: "1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F809",
};
/**
 * The SCP certificate of the samples (its subject holds markup characters,
 * to check escaping).
 *
 * @example
 * ```ts
 * import { SAMPLE_SERVER_CERTIFICATE } from "./sample_outcomes.ts";
 * SAMPLE_SERVER_CERTIFICATE.sha1; // "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678"
 * ```
 */
export const SAMPLE_SERVER_CERTIFICATE: CertificateInfo = {
  subject: 'CN=storescp.example,O=Hospital <Radiology> & "PACS"',
  issuer: intermediate.subject,
  serial: "5A3F",
  notBefore: "2026-06-01T00:00:00.000Z",
  notAfter: "2027-06-01T00:00:00.000Z",
  key: "RSA 2048",
  signatureAlgorithm: "sha256WithRSAEncryption",
  san: ["DNS:localhost", "IP:127.0.0.1"],
  sha1: "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678",
  sha256: "F0E1D2C3B4A5968778695A4B3C2D1E0FF0E1D2C3B4A5968778695A4B3C2D1E0F",
};
const server = SAMPLE_SERVER_CERTIFICATE;
const expiredServer: CertificateInfo = {
  ...server,
  subject: "CN=expired.example",
  notBefore: "2024-01-01T00:00:00.000Z",
  notAfter: "2025-01-01T00:00:00.000Z",
  sha1: "0011223344556677889900AABBCCDDEEFF001122",
  sha256: "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF",
};

/**
 * Where the sample conversations went.
 *
 * @example
 * ```ts
 * import { SAMPLE_TARGET } from "./sample_outcomes.ts";
 * const target = { ...SAMPLE_TARGET, ae: "STORESCP" };
 * ```
 */
export const SAMPLE_TARGET: { host: string; port: number } = { host: "127.0.0.1", port: 11112 };
const target = SAMPLE_TARGET;

/**
 * A leaf certificate as an Outcome's `tls.peer`: with the samples'
 * intermediate and root as its chain.
 *
 * @example
 * ```ts
 * import { SAMPLE_SERVER_CERTIFICATE, sampleChain } from "./sample_outcomes.ts";
 * sampleChain(SAMPLE_SERVER_CERTIFICATE).chain.length; // 3
 * ```
 */
export function sampleChain(leaf: CertificateInfo): CertificateInfo & { chain: CertificateInfo[] } {
  return { ...leaf, chain: [leaf, intermediate, root] };
}
const peerChain = sampleChain;

function echoPdus(): PduTrace[] {
  return [
    {
      direction: "sent",
      type: "A-ASSOCIATE-RQ",
      length: 211,
      atMs: 21.4,
      fields: {
        callingAe: "HARNESS",
        calledAe: "STORESCP",
        presentationContexts: [{ id: 1, abstractSyntax: "1.2.840.10008.1.1" }],
        maxPduLength: 16384,
      },
    },
    {
      direction: "received",
      type: "A-ASSOCIATE-AC",
      length: 186,
      atMs: 23.0,
      fields: { result: "acceptance", maxPduLength: 16384 },
    },
    {
      direction: "sent",
      type: "P-DATA-TF",
      length: 80,
      atMs: 23.2,
      fields: { command: "C-ECHO-RQ", messageId: 1 },
    },
    {
      direction: "received",
      type: "P-DATA-TF",
      length: 90,
      atMs: 24.1,
      fields: { command: "C-ECHO-RSP", status: "0x0000" },
    },
    { direction: "sent", type: "A-RELEASE-RQ", length: 10, atMs: 24.3, fields: {} },
    { direction: "received", type: "A-RELEASE-RP", length: 10, atMs: 24.9, fields: {} },
  ];
}

/**
 * A C-ECHO over TLS 1.3 with mutual authentication that succeeded, started
 * `at` milliseconds into the run.
 *
 * @example
 * ```ts
 * import { echoSuccess } from "./sample_outcomes.ts";
 * echoSuccess().stage; // "release"
 * ```
 */
export function echoSuccess(at = 0): Outcome {
  return {
    ok: true,
    stage: "release",
    target,
    startedAt: iso(at),
    durationMs: 25.3,
    timeline: [
      { stage: "tcp", startMs: 0, durationMs: 0.6 },
      { stage: "tls", startMs: 0.6, durationMs: 20.5 },
      { stage: "association", startMs: 21.1, durationMs: 2.1 },
      { stage: "dimse", startMs: 23.2, durationMs: 1.0 },
      { stage: "release", startMs: 24.2, durationMs: 0.8 },
    ],
    tcp: { status: "connected" },
    tls: {
      status: "established",
      protocol: "TLSv1.3",
      cipher: "TLS_AES_256_GCM_SHA384",
      peer: peerChain(server),
      verification: { method: "chain", ok: true, reasons: [], details: [] },
      clientCertificate: true,
    },
    association: {
      result: "accepted",
      callingAe: "HARNESS",
      calledAe: "STORESCP",
      presentationContexts: [{
        id: 1,
        abstractSyntax: "1.2.840.10008.1.1",
        transferSyntax: "1.2.840.10008.1.2",
        result: "acceptance",
      }],
      peerMaxPduLength: 16384,
      peerImplementationClassUid: "1.2.276.0.7230010.3.0.3.6.7",
      peerImplementationVersionName: "OFFIS_DCMTK_367",
      released: true,
    },
    dimse: {
      status: "success",
      operations: [{
        command: "C-ECHO",
        status: 0,
        statusName: "Success",
        category: "success",
        durationMs: 0.9,
      }],
    },
    pdus: echoPdus(),
  };
}

/**
 * The TLS handshake refused by the peer with `alert`.
 *
 * @example
 * ```ts
 * import { refusedByPeer } from "./sample_outcomes.ts";
 * refusedByPeer({ name: "unknown_ca", code: 48 }).tls?.status; // "refused-by-peer"
 * ```
 */
export function refusedByPeer(alert: { name: string; code: number }): Outcome {
  return {
    ok: false,
    stage: "tls",
    target,
    startedAt: iso(100),
    durationMs: 18.2,
    timeline: [{ stage: "tcp", startMs: 0, durationMs: 0.5 }, {
      stage: "tls",
      startMs: 0.5,
      durationMs: 17.7,
    }],
    tcp: { status: "connected" },
    tls: {
      status: "refused-by-peer",
      protocol: "TLSv1.3",
      cipher: "TLS_AES_256_GCM_SHA384",
      peer: peerChain(server),
      verification: { method: "chain", ok: true, reasons: [], details: [] },
      alert,
      clientCertificate: true,
    },
    association: { result: "not-requested" },
    pdus: [],
  };
}

/**
 * The SCP's certificate refused by our verifier (expired).
 *
 * @example
 * ```ts
 * import { refusedByUs } from "./sample_outcomes.ts";
 * refusedByUs().tls?.verification?.reasons; // ["expired"]
 * ```
 */
export function refusedByUs(): Outcome {
  return {
    ok: false,
    stage: "tls",
    target,
    startedAt: iso(200),
    durationMs: 9.8,
    timeline: [{ stage: "tcp", startMs: 0, durationMs: 0.4 }, {
      stage: "tls",
      startMs: 0.4,
      durationMs: 9.4,
    }],
    tcp: { status: "connected" },
    tls: {
      status: "refused-by-us",
      protocol: "TLSv1.2",
      cipher: "ECDHE-RSA-AES128-GCM-SHA256",
      peer: peerChain(expiredServer),
      verification: {
        method: "chain",
        ok: false,
        reasons: ["expired", "hostname-mismatch"],
        details: [
          "expired: notAfter 2025-01-01T00:00:00.000Z is before 2026-11-28T10:00:00.200Z",
          "hostname-mismatch: 127.0.0.1 is not in subjectAltName",
        ],
        checkedHostname: true,
      },
      clientCertificate: false,
    },
    association: { result: "not-requested" },
    pdus: [],
  };
}

/**
 * The association rejected by the SCP (calling AE title not recognized).
 *
 * @example
 * ```ts
 * import { rejected } from "./sample_outcomes.ts";
 * rejected().association?.result; // "rejected"
 * ```
 */
export function rejected(): Outcome {
  const o = echoSuccess(300);
  return {
    ...o,
    ok: false,
    stage: "association",
    durationMs: 23.0,
    timeline: o.timeline.slice(0, 3),
    association: {
      result: "rejected",
      callingAe: "STRANGER",
      calledAe: "STORESCP",
      reject: {
        result: "rejected-permanent",
        source: "service-user",
        reason: "calling-ae-title-not-recognized",
      },
    },
    dimse: undefined,
    pdus: [
      { ...o.pdus[0], fields: { ...o.pdus[0].fields, callingAe: "STRANGER" } },
      {
        direction: "received",
        type: "A-ASSOCIATE-RJ",
        length: 10,
        atMs: 22.8,
        fields: { result: 1, source: 1, reason: 3, reasonName: "calling-ae-title-not-recognized" },
      },
    ],
  };
}

/**
 * The association aborted by the SCP after the C-ECHO request.
 *
 * @example
 * ```ts
 * import { aborted } from "./sample_outcomes.ts";
 * aborted().association?.result; // "aborted"
 * ```
 */
export function aborted(): Outcome {
  const o = echoSuccess(400);
  return {
    ...o,
    ok: false,
    stage: "association",
    association: {
      result: "aborted",
      callingAe: "HARNESS",
      calledAe: "STORESCP",
      abort: { source: "service-provider", reason: "unexpected-pdu" },
    },
    dimse: {
      status: "aborted",
      operations: [{ command: "C-STORE", category: "aborted", durationMs: 3.1 }],
    },
    pdus: [
      o.pdus[0],
      o.pdus[1],
      {
        direction: "received",
        type: "A-ABORT",
        length: 10,
        atMs: 26.0,
        fields: { source: 2, reason: 2, reasonName: "unexpected-pdu" },
      },
    ],
  };
}

/**
 * No one listening: the TCP connection refused.
 *
 * @example
 * ```ts
 * import { tcpRefused } from "./sample_outcomes.ts";
 * tcpRefused().tcp.status; // "refused"
 * ```
 */
export function tcpRefused(): Outcome {
  return {
    ok: false,
    stage: "tcp",
    target: { host: "127.0.0.1", port: 4243 },
    startedAt: iso(500),
    durationMs: 0.7,
    timeline: [{ stage: "tcp", startMs: 0, durationMs: 0.7 }],
    tcp: { status: "refused", error: "connect ECONNREFUSED 127.0.0.1:4243" },
    pdus: [],
  };
}
