import type { TlsAlert } from "../outcome/mod.ts";

/**
 * Every TLS alert description by its RFC 8446 / RFC 5246 name and code
 * (IANA "TLS Alerts" registry), including the SSLv3/TLS 1.0 era ones a
 * legacy peer may still send.
 *
 * @example
 * ```ts
 * import { TLS_ALERTS } from "./alerts.ts";
 * TLS_ALERTS.find((a) => a.code === 116)?.name; // "certificate_required"
 * ```
 */
export const TLS_ALERTS: readonly TlsAlert[] = [
  { name: "close_notify", code: 0 },
  { name: "unexpected_message", code: 10 },
  { name: "bad_record_mac", code: 20 },
  { name: "decryption_failed", code: 21 },
  { name: "record_overflow", code: 22 },
  { name: "decompression_failure", code: 30 },
  { name: "handshake_failure", code: 40 },
  { name: "no_certificate", code: 41 },
  { name: "bad_certificate", code: 42 },
  { name: "unsupported_certificate", code: 43 },
  { name: "certificate_revoked", code: 44 },
  { name: "certificate_expired", code: 45 },
  { name: "certificate_unknown", code: 46 },
  { name: "illegal_parameter", code: 47 },
  { name: "unknown_ca", code: 48 },
  { name: "access_denied", code: 49 },
  { name: "decode_error", code: 50 },
  { name: "decrypt_error", code: 51 },
  { name: "export_restriction", code: 60 },
  { name: "protocol_version", code: 70 },
  { name: "insufficient_security", code: 71 },
  { name: "internal_error", code: 80 },
  { name: "inappropriate_fallback", code: 86 },
  { name: "user_canceled", code: 90 },
  { name: "no_renegotiation", code: 100 },
  { name: "missing_extension", code: 109 },
  { name: "unsupported_extension", code: 110 },
  { name: "certificate_unobtainable", code: 111 },
  { name: "unrecognized_name", code: 112 },
  { name: "bad_certificate_status_response", code: 113 },
  { name: "bad_certificate_hash_value", code: 114 },
  { name: "unknown_psk_identity", code: 115 },
  { name: "certificate_required", code: 116 },
  { name: "no_application_protocol", code: 120 },
  { name: "ech_required", code: 121 },
];

// Spellings that differ from the RFC name once underscores and case are dropped
// (rustls says "UnrecognisedName" and "EncryptedClientHelloRequired").
const ALIASES: Record<string, string> = {
  unrecognisedname: "unrecognized_name",
  encryptedclienthellorequired: "ech_required",
  sslv3alertcertificateunknown: "certificate_unknown",
};

const byKey = new Map(TLS_ALERTS.map((a) => [a.name.replaceAll("_", ""), a]));

/**
 * Looks up an alert by code, or by name in any common spelling: RFC
 * (`unknown_ca`), rustls (`UnknownCA`), OpenSSL (`UNKNOWN_CA`). Unknown codes
 * give `unknown_N`; unknown names give undefined.
 *
 * @example
 * ```ts
 * import { tlsAlert } from "./alerts.ts";
 * tlsAlert("CertificateExpired"); // { name: "certificate_expired", code: 45 }
 * tlsAlert(48); // { name: "unknown_ca", code: 48 }
 * ```
 */
export function tlsAlert(nameOrCode: string | number): TlsAlert | undefined {
  if (typeof nameOrCode === "number") {
    return TLS_ALERTS.find((a) => a.code === nameOrCode) ??
      { name: `unknown_${nameOrCode}`, code: nameOrCode };
  }
  const key = nameOrCode.toLowerCase().replace(/[^a-z0-9]/g, "");
  const found = byKey.get(ALIASES[key]?.replaceAll("_", "") ?? key);
  return found && { ...found };
}
