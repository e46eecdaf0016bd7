import {
  _bcp195KeyLengths,
  _bcp195MustNot,
  _bcp195ShouldNot,
  _nonDowngrading,
  _rfc7525Versions,
} from "./_bcp195.ts";
import type { Profile } from "./types.ts";

const SECTION = "PS3.15 B.10";

/**
 * PS3.15 B.10, Non-Downgrading BCP 195 TLS Secure Transport Connection
 * Profile: BCP 195 (RFC 7525) with "should" recommendations made
 * requirements: "Implementations shall not negotiate TLS version 1.1 or TLS
 * version 1.0" and "The following cipher suites shall all be supported":
 * TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
 * TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384.
 * Additional suites "of similar or greater cryptographic strength may be
 * supported". DCMTK's `+py`; IHE ITI TF-1 9.2.6.4 calls the ATNA TLS 1.2
 * floor equivalent.
 *
 * @example
 * ```ts
 * import { BCP195_ND } from "./b10_bcp195_nd.ts";
 * BCP195_ND.name; // "bcp195-nd"
 * ```
 */
export const BCP195_ND: Profile = {
  name: "bcp195-nd",
  aliases: ["B.10", "non-downgrading", "bcp195-non-downgrading"],
  title: "Non-Downgrading BCP 195 TLS Secure Transport Connection Profile",
  section: SECTION,
  status: "current",
  requirements: [
    ..._nonDowngrading(SECTION),
    ..._rfc7525Versions(SECTION),
    ..._bcp195MustNot(SECTION, "RFC 7525"),
    ..._bcp195ShouldNot(SECTION, "RFC 7525"),
    ..._bcp195KeyLengths(SECTION, "RFC 7525 4.3", 192),
  ],
};
