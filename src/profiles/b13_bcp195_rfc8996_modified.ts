import { _bcp195MustNot, _rfc9325Versions } from "./_bcp195.ts";
import type { Profile } from "./types.ts";

const SECTION = "PS3.15 B.13";

/** "Servers shall support all of the following cipher suites for TLS 1.3." */
const TLS13_SUITES = [
  "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
  "TLS_AES_128_GCM_SHA256",
  "TLS_AES_128_CCM_SHA256",
  "TLS_AES_128_CCM_8_SHA256",
];

/**
 * PS3.15 B.13, Modified BCP 195 RFC 8996, 9325 TLS Secure Transport
 * Connection Profile: B.12 with "additional restrictions": listed
 * algorithms that "shall not be used", "only the following cryptographic
 * algorithms, grouped by function, are permitted", DHE keys of 2048 bits or
 * more, ECDHE keys of 256 bits or more, and "Servers shall support all of
 * the following cipher suites for TLS 1.3".
 *
 * The permitted-algorithm tables are read here as ephemeral key exchange
 * (ECDHE, DHE), RSA or ECDSA authentication, AEAD ciphers (AES-GCM,
 * AES-CCM, AES-CCM-8, ChaCha20-Poly1305, Camellia-GCM), and the five TLS
 * 1.3 suites; certificates with RSA keys of 2048 bits or more, EC keys of
 * 256 bits or more, signed with SHA-256 or better. This matches DCMTK
 * 3.6.8's implementation of the profile (its TLS 1.2 suite list and its
 * certificate checks); see docs/probe.md for what was read where.
 *
 * @example
 * ```ts
 * import { BCP195_RFC8996_MODIFIED } from "./b13_bcp195_rfc8996_modified.ts";
 * BCP195_RFC8996_MODIFIED.section; // "PS3.15 B.13"
 * ```
 */
export const BCP195_RFC8996_MODIFIED: Profile = {
  name: "bcp195-rfc8996-modified",
  aliases: ["B.13", "modified-bcp195", "bcp195-modified"],
  title: "Modified BCP 195 RFC 8996, 9325 TLS Secure Transport Connection Profile",
  section: SECTION,
  status: "current",
  note:
    "permitted algorithms as implemented by DCMTK 3.6.8 (the TLS 1.2 suite list, certificate key and hash checks)",
  requirements: [
    {
      id: "tls12-or-tls13",
      text: "TLS 1.2 or TLS 1.3",
      level: "shall",
      cite: SECTION,
      rule: { kind: "version-any", versions: ["TLSv1.2", "TLSv1.3"] },
    },
    ..._rfc9325Versions(SECTION),
    {
      id: "tls13-suites",
      text: `servers shall support all of the following cipher suites for TLS 1.3: ${
        TLS13_SUITES.join(", ")
      }`,
      level: "shall",
      cite: SECTION,
      rule: { kind: "suite-required", suites: TLS13_SUITES, whenVersion: "TLSv1.3" },
    },
    {
      id: "permitted-algorithms",
      text:
        "only the permitted algorithms: ECDHE or DHE key exchange, RSA or ECDSA signatures, AEAD ciphers (AES-GCM, AES-CCM, ChaCha20-Poly1305, Camellia-GCM)",
      level: "shall",
      cite: SECTION,
      rule: {
        kind: "suite-only",
        allowed: [
          {
            kx: ["ECDH", "DH"],
            au: ["RSA", "ECDSA"],
            enc: ["AESGCM", "AESCCM", "AESCCM8", "ChaCha20", "CamelliaGCM"],
            mac: ["AEAD"],
          },
          { names: TLS13_SUITES },
        ],
      },
    },
    {
      id: "dhe-2048",
      text: "when DHE is used for key exchange, the key length shall be 2048 bits or more",
      level: "shall",
      cite: SECTION,
      rule: { kind: "dhe-min-bits", bits: 2048 },
    },
    {
      id: "ecdhe-256",
      text: "when ECDHE is used for key exchange, the key length shall be 256 bits or more",
      level: "shall",
      cite: SECTION,
      rule: { kind: "ecdhe-min-bits", bits: 256 },
    },
    {
      id: "certificate-keys",
      text: "certificates: RSA keys of 2048 bits or more, EC keys of 256 bits or more",
      level: "shall",
      cite: SECTION,
      rule: { kind: "certificate-key-min", rsaBits: 2048, ecBits: 256 },
    },
    {
      id: "certificate-hash",
      text: "certificates signed with SHA-256 or better (not MD5, not SHA-1)",
      level: "shall",
      cite: SECTION,
      rule: { kind: "certificate-hash-forbidden", hashes: ["md5", "sha1"] },
    },
    ..._bcp195MustNot(SECTION, "RFC 9325"),
  ],
};
