import type { WireObservation } from "../outcome/mod.ts";
import type { Full } from "./full_run.ts";

const name = (code: number, n: string) => ({ code, name: n, grease: true as const });
const direction = {
  bytes: 517,
  firstBytes: "16030100",
  firstAtMs: 0.4,
  records: 3,
  notTls: "none",
  changeCipherSpec: true,
  encryptedRecords: 2,
  encryptedAlerts: 0,
  endedMidRecord: false,
};

/**
 * A wire observation with every optional field set (for the schema drift
 * test of {@linkcode fullRun}): not one real conversation, the exemplar.
 *
 * @example
 * ```ts
 * import { fullWire } from "./full_wire.ts";
 * fullWire().serverHello.cipherSuite.name; // "TLS_AES_128_GCM_SHA256"
 * ```
 */
export function fullWire(): Full<WireObservation> {
  return {
    role: "client",
    durationMs: 12,
    sent: direction,
    received: direction,
    peerSpokeTls: true,
    peerFirstBytes: {
      kind: "dicom-pdu",
      hex: "0700000000040000",
      description: "a DICOM A-ABORT (service-provider, unexpected-pdu)",
      pdu: {
        type: "A-ABORT",
        length: 4,
        callingAe: "SCU",
        calledAe: "SCP",
        reject: { result: "rejected-permanent", source: "service-user", reason: "no-reason-given" },
        abort: { source: "service-provider", reason: "unexpected-pdu" },
      },
      startLine: "HTTP/1.1 400 Bad Request",
      banner: "SSH-2.0-x",
    },
    clientHello: {
      legacyVersion: name(0x0303, "TLSv1.2"),
      supportedVersions: [name(0x0304, "TLSv1.3")],
      offeredVersions: ["TLSv1.3", "TLSv1.2"],
      olderVersionsUnknown: false,
      sessionIdLength: 32,
      cipherSuites: [name(0x1301, "TLS_AES_128_GCM_SHA256")],
      compressionMethods: [0],
      extensions: [{ ...name(0, "server_name"), length: 14 }],
      serverName: "localhost",
      alpn: ["dicom"],
      supportedGroups: [name(0x17, "secp256r1")],
      signatureAlgorithms: [name(0x0403, "ecdsa_secp256r1_sha256")],
      signatureAlgorithmsCert: [name(0x0403, "ecdsa_secp256r1_sha256")],
      keyShares: [name(0x17, "secp256r1")],
      ecPointFormats: [0],
      sessionTicket: "empty",
      pskIdentities: 1,
      pskModes: ["psk_dhe_ke"],
      extendedMasterSecret: true,
      secureRenegotiation: true,
      encryptThenMac: false,
      earlyData: false,
      statusRequest: false,
      fallbackScsv: false,
    },
    clientHellos: 2,
    serverHello: serverHello(),
    helloRetryRequest: { ...serverHello(), helloRetryRequest: true },
    serverCertificates: ["MIIB"],
    clientCertificates: ["MIIB"],
    serverKeyExchange: {
      kind: "ecdhe",
      group: name(0x17, "secp256r1"),
      curveType: 3,
      signatureAlgorithm: name(0x0403, "ecdsa_secp256r1_sha256"),
    },
    certificateRequest: {
      certificateTypes: ["ecdsa_sign"],
      signatureAlgorithms: [name(0x0403, "ecdsa_secp256r1_sha256")],
      authorities: 1,
    },
    tls13Encrypted: true,
    alerts: [{
      level: "fatal",
      description: { name: "unknown_ca", code: 48 },
      direction: "received",
      atMs: 5,
    }],
    records: [{
      direction: "received",
      atMs: 5,
      contentType: "alert",
      version: "TLSv1.2",
      length: 2,
      encrypted: false,
      handshake: ["server_hello"],
      alerts: [{ level: "fatal", description: { name: "unknown_ca", code: 48 } }],
    }],
    recordsOmitted: 0,
    close: {
      first: "peer",
      peer: { how: "fin", atMs: 6, error: "none" },
      us: { how: "destroy", atMs: 7 },
      closedAtMs: 7,
    },
    errors: ["none"],
  };
}

function serverHello(): Full<NonNullable<WireObservation["serverHello"]>> {
  return {
    helloRetryRequest: false,
    legacyVersion: name(0x0303, "TLSv1.2"),
    version: name(0x0304, "TLSv1.3"),
    cipherSuite: { ...name(0x1301, "TLS_AES_128_GCM_SHA256"), openssl: "TLS_AES_128_GCM_SHA256" },
    compressionMethod: 0,
    sessionIdLength: 32,
    extensions: [{ ...name(43, "supported_versions"), length: 2 }],
    selectedGroup: name(0x17, "secp256r1"),
    alpn: "dicom",
    extendedMasterSecret: true,
    secureRenegotiation: true,
    encryptThenMac: false,
    sessionTicket: false,
    pskSelected: 0,
    cookie: false,
    downgradeSentinel: "TLSv1.2",
  };
}
