import type { Requirement, SuiteFilter } from "./types.ts";

// BCP 195's cipher suite rules, shared by the profiles that say "shall comply
// with BCP 195". RFC 7525 (BCP 195 from 2015) and RFC 9325 (BCP 195 from
// 2022, with RFC 8996) word them alike in section 4.1; the cite names the
// profile, then the RFC section ("PS3.15 B.9, RFC 7525 4.1").

/** NULL encryption, RC4, and below 112 bits (export, DES): MUST NOT in RFC 7525 4.1 and RFC 9325 4.1. */
const MUST_NOT: { id: string; text: string; match: SuiteFilter; what: string }[] = [
  {
    id: "no-null-encryption",
    text: "MUST NOT negotiate cipher suites with NULL encryption",
    match: { enc: ["None"] },
    what: "NULL encryption",
  },
  {
    id: "no-rc4",
    text: "MUST NOT negotiate RC4 cipher suites",
    match: { enc: ["RC4"] },
    what: "RC4",
  },
  {
    id: "no-below-112-bits",
    text: "MUST NOT negotiate cipher suites offering less than 112 bits of security (export, DES)",
    match: { bitsBelow: 112 },
    what: "less than 112 bits",
  },
];

/** The BCP 195 "MUST NOT" suite rules, cited as `section, rfc 4.1`. */
export function _bcp195MustNot(section: string, rfc: "RFC 7525" | "RFC 9325"): Requirement[] {
  return MUST_NOT.map((r) => ({
    id: r.id,
    text: r.text,
    level: "shall",
    cite: `${section}, ${rfc} 4.1`,
    rule: { kind: "suite-forbidden", match: r.match, what: r.what },
  }));
}

/** The BCP 195 "SHOULD NOT" suite rules: below 128 bits (3DES) and RSA key transport. */
export function _bcp195ShouldNot(section: string, rfc: "RFC 7525" | "RFC 9325"): Requirement[] {
  return [
    {
      id: "avoid-below-128-bits",
      text: "SHOULD NOT negotiate cipher suites offering less than 128 bits of security (3DES)",
      level: "should",
      cite: `${section}, ${rfc} 4.1`,
      rule: { kind: "suite-forbidden", match: { bitsBelow: 128 }, what: "less than 128 bits" },
    },
    {
      id: "avoid-static-rsa",
      text: "SHOULD NOT negotiate cipher suites based on RSA key transport",
      level: "should",
      cite: `${section}, ${rfc} 4.1`,
      rule: {
        kind: "suite-forbidden",
        match: { kx: ["RSA", "RSA(512)", "RSA(1024)"] },
        what: "RSA key transport, no forward secrecy",
      },
    },
  ];
}

/** The four suites BCP 195 (RFC 7525 4.2) recommends, and B.10, B.11 and the IHE floor require. */
export const _BCP195_SUITES: readonly string[] = [
  "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
];

/** RFC 9325 4.2: the TLS 1.2 suites whose implementation and deployment is RECOMMENDED. */
export const _RFC9325_SUITES: readonly string[] = [
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
];

/**
 * The two rules B.10 adds to BCP 195, which B.11 repeats: "Implementations
 * shall not negotiate TLS version 1.1 or TLS version 1.0" and "The following
 * cipher suites shall all be supported" (the four of RFC 7525 4.2).
 */
export function _nonDowngrading(section: string): Requirement[] {
  return [
    {
      id: "no-tls10-tls11",
      text: "shall not negotiate TLS version 1.1 or TLS version 1.0",
      level: "shall",
      cite: section,
      rule: { kind: "version-forbidden", versions: ["TLSv1", "TLSv1.1"] },
    },
    {
      id: "required-suites",
      text: `the following cipher suites shall all be supported: ${_BCP195_SUITES.join(", ")}`,
      level: "shall",
      cite: section,
      rule: { kind: "suite-required", suites: [..._BCP195_SUITES] },
    },
  ];
}

/** RFC 7525 3.1.1: SSL 3.0 MUST NOT, TLS 1.2 MUST be supported. */
export function _rfc7525Versions(section: string): Requirement[] {
  return [
    {
      id: "no-ssl3",
      text: "MUST NOT negotiate SSL version 3",
      level: "shall",
      cite: `${section}, RFC 7525 3.1.1`,
      rule: { kind: "version-forbidden", versions: ["SSLv3"] },
    },
    {
      id: "tls12",
      text: "MUST support TLS 1.2",
      level: "shall",
      cite: `${section}, RFC 7525 3.1.1`,
      rule: { kind: "version-required", versions: ["TLSv1.2"] },
    },
  ];
}

/** RFC 8996 and RFC 9325 3.1.1: SSL 3.0, TLS 1.0 and 1.1 MUST NOT; TLS 1.2 MUST; prefer 1.3. */
export function _rfc9325Versions(section: string): Requirement[] {
  return [
    {
      id: "no-ssl3-tls10-tls11",
      text: "MUST NOT negotiate SSL 3.0, TLS 1.0 or TLS 1.1",
      level: "shall",
      cite: `${section}, RFC 8996, RFC 9325 3.1.1`,
      rule: { kind: "version-forbidden", versions: ["SSLv3", "TLSv1", "TLSv1.1"] },
    },
    {
      id: "prefer-tls13",
      text: "servers shall prefer TLS 1.3 if offered by the client",
      level: "shall",
      cite: `${section}, RFC 9325 3.1.1`,
      rule: { kind: "prefers-tls13" },
    },
  ];
}

/** RFC 7525 4.3 / RFC 9325 4.5: key lengths servers SHOULD use. */
export function _bcp195KeyLengths(
  section: string,
  rfc: "RFC 7525 4.3" | "RFC 9325 4.5",
  ecBits: number,
): Requirement[] {
  return [
    {
      id: "dh-2048",
      text: "DH key lengths of at least 2048 bits",
      level: "should",
      cite: `${section}, ${rfc}`,
      rule: { kind: "dhe-min-bits", bits: 2048 },
    },
    {
      id: `ecdh-${ecBits}`,
      text: `elliptic curves of at least ${ecBits} bits`,
      level: "should",
      cite: `${section}, ${rfc}`,
      rule: { kind: "ecdhe-min-bits", bits: ecBits },
    },
    {
      id: "certificate-rsa-2048",
      text: "RSA certificates with at least a 2048-bit modulus",
      level: "should",
      cite: `${section}, ${rfc}`,
      rule: { kind: "certificate-key-min", rsaBits: 2048, ecBits },
    },
  ];
}
