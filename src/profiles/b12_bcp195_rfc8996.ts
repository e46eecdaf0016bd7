import {
  _bcp195KeyLengths,
  _bcp195MustNot,
  _bcp195ShouldNot,
  _RFC9325_SUITES,
  _rfc9325Versions,
} from "./_bcp195.ts";
import type { Profile } from "./types.ts";

const SECTION = "PS3.15 B.12";

/**
 * PS3.15 B.12, BCP 195 RFC 8996, 9325 TLS Secure Transport Connection
 * Profile: "It shall comply with BCP 195 which includes RFC 8996, and RFC
 * 9325". "Servers and clients shall support TLS 1.2 and may support TLS
 * 1.3. Clients shall attempt to negotiate TLS 1.3 if it is supported.
 * Servers shall prefer TLS 1.3 if offered by the client." RFC 8996 forbids
 * TLS 1.0 and 1.1; RFC 9325's MUSTs are requirements, its SHOULDs warnings.
 *
 * @example
 * ```ts
 * import { BCP195_RFC8996 } from "./b12_bcp195_rfc8996.ts";
 * BCP195_RFC8996.name; // "bcp195-rfc8996"
 * ```
 */
export const BCP195_RFC8996: Profile = {
  name: "bcp195-rfc8996",
  aliases: ["B.12", "bcp195-rfc8996-9325", "rfc8996"],
  title: "BCP 195 RFC 8996, 9325 TLS Secure Transport Connection Profile",
  section: SECTION,
  status: "current",
  requirements: [
    {
      id: "tls12",
      text: "servers and clients shall support TLS 1.2 and may support TLS 1.3",
      level: "shall",
      cite: SECTION,
      rule: { kind: "version-required", versions: ["TLSv1.2"] },
    },
    ..._rfc9325Versions(SECTION).map((r) => r.id === "prefer-tls13" ? { ...r, cite: SECTION } : r),
    ..._bcp195MustNot(SECTION, "RFC 9325"),
    ..._bcp195ShouldNot(SECTION, "RFC 9325"),
    {
      id: "recommended-suites",
      text: `the recommended TLS 1.2 cipher suites: ${_RFC9325_SUITES.join(", ")}`,
      level: "should",
      cite: `${SECTION}, RFC 9325 4.2`,
      rule: { kind: "suite-any", suites: [..._RFC9325_SUITES] },
    },
    ..._bcp195KeyLengths(SECTION, "RFC 9325 4.5", 224),
  ],
};
