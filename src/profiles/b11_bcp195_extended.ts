import {
  _BCP195_SUITES,
  _bcp195KeyLengths,
  _bcp195MustNot,
  _nonDowngrading,
  _rfc7525Versions,
} from "./_bcp195.ts";
import type { Profile } from "./types.ts";

const SECTION = "PS3.15 B.11";

/** "One or more of the following cipher suites should be supported." */
const EXTRA_SUITES = [
  "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",
  "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256",
];

/**
 * PS3.15 B.11, Extended BCP 195 TLS Profile Secure Transport Connection
 * Profile: B.10's restrictions (no TLS 1.0/1.1, the four suites shall all
 * be supported), one or more of eight more GCM suites should be, "No
 * other cipher suites shall be used", DHE keys of 2048 bits or more and
 * ECDHE keys of 256 bits or more. TLS 1.3 suites are not in its list, so a
 * server accepting TLS 1.3 uses other suites (DCMTK's `+pz` turns TLS 1.3
 * off).
 *
 * @example
 * ```ts
 * import { BCP195_EXTENDED } from "./b11_bcp195_extended.ts";
 * BCP195_EXTENDED.name; // "bcp195-ex"
 * ```
 */
export const BCP195_EXTENDED: Profile = {
  name: "bcp195-ex",
  aliases: ["B.11", "extended", "bcp195-extended"],
  title: "Extended BCP 195 TLS Profile Secure Transport Connection Profile",
  section: SECTION,
  status: "current",
  requirements: [
    ..._nonDowngrading(SECTION),
    {
      id: "extra-suites",
      text: `one or more of the following cipher suites should be supported: ${
        EXTRA_SUITES.join(", ")
      }`,
      level: "should",
      cite: SECTION,
      rule: { kind: "suite-any", suites: EXTRA_SUITES },
    },
    {
      id: "no-other-suites",
      text: "no other cipher suites shall be used",
      level: "shall",
      cite: SECTION,
      rule: { kind: "suite-only", allowed: [{ names: [..._BCP195_SUITES, ...EXTRA_SUITES] }] },
    },
    {
      id: "dhe-2048",
      text: "when DHE is used by key exchange, the key length shall be 2048 bits or more",
      level: "shall",
      cite: SECTION,
      rule: { kind: "dhe-min-bits", bits: 2048 },
    },
    {
      id: "ecdhe-256",
      text: "when ECDHE is used by key exchange, the key length shall be 256 bits or more",
      level: "shall",
      cite: SECTION,
      rule: { kind: "ecdhe-min-bits", bits: 256 },
    },
    ..._rfc7525Versions(SECTION),
    ..._bcp195MustNot(SECTION, "RFC 7525"),
    ..._bcp195KeyLengths(SECTION, "RFC 7525 4.3", 192).filter((r) => r.id.startsWith("cert")),
  ],
};
