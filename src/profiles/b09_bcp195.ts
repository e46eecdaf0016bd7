import {
  _BCP195_SUITES,
  _bcp195KeyLengths,
  _bcp195MustNot,
  _bcp195ShouldNot,
  _rfc7525Versions,
} from "./_bcp195.ts";
import type { Profile } from "./types.ts";

const SECTION = "PS3.15 B.9";

/**
 * PS3.15 B.9, BCP 195 TLS Secure Transport Connection Profile: "It shall
 * comply with BCP 195 from the IETF", which was RFC 7525 ("suggestions for
 * proper use of TLS 1.2 and allow appropriate fallback rules"; AES profile
 * implementations interoperate). RFC 7525's MUSTs are requirements, its
 * SHOULDs (no TLS 1.0/1.1, no RSA key transport, the four recommended
 * suites, key lengths) warnings.
 *
 * @example
 * ```ts
 * import { BCP195 } from "./b09_bcp195.ts";
 * BCP195.name; // "bcp195"
 * ```
 */
export const BCP195: Profile = {
  name: "bcp195",
  aliases: ["B.9", "bcp-195"],
  title: "BCP 195 TLS Secure Transport Connection Profile",
  section: SECTION,
  status: "current",
  note: "BCP 195 read as RFC 7525, the BCP when the profile was written",
  requirements: [
    ..._rfc7525Versions(SECTION),
    {
      id: "avoid-tls10-tls11",
      text: "SHOULD NOT negotiate TLS version 1.0 or 1.1",
      level: "should",
      cite: `${SECTION}, RFC 7525 3.1.1`,
      rule: { kind: "version-forbidden", versions: ["TLSv1", "TLSv1.1"] },
    },
    ..._bcp195MustNot(SECTION, "RFC 7525"),
    ..._bcp195ShouldNot(SECTION, "RFC 7525"),
    {
      id: "recommended-suites",
      text: `the recommended cipher suites: ${_BCP195_SUITES.join(", ")}`,
      level: "should",
      cite: `${SECTION}, RFC 7525 4.2`,
      rule: { kind: "suite-required", suites: [..._BCP195_SUITES] },
    },
    ..._bcp195KeyLengths(SECTION, "RFC 7525 4.3", 192),
  ],
};
