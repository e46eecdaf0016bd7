import { _BCP195_SUITES, _bcp195MustNot } from "./_bcp195.ts";
import type { Profile } from "./types.ts";

const SECTION = "IHE ITI TF-2 3.19.6.2.3";

/**
 * IHE ATNA Authenticate Node [ITI-19], "STX: TLS 1.2 Floor using BCP195
 * Option" (ITI TF-2 3.19.6.2.3): TLS 1.2 or later, following BCP 195, with
 * the four suites TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
 * TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_AES_256_GCM_SHA384
 * and TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384. ITI TF-1 9.2.6.4 calls it
 * equivalent to DICOM's Non-downgrading BCP 195 profile (PS3.15 B.10).
 *
 * @example
 * ```ts
 * import { IHE_ATNA_TLS12_FLOOR } from "./ihe_atna_tls12_floor.ts";
 * IHE_ATNA_TLS12_FLOOR.section; // "IHE ITI TF-2 3.19.6.2.3"
 * ```
 */
export const IHE_ATNA_TLS12_FLOOR: Profile = {
  name: "ihe-atna-tls12",
  aliases: ["atna", "iti-19", "tls12-floor", "ihe-tls12-floor"],
  title: "IHE ATNA STX: TLS 1.2 Floor using BCP195 Option",
  section: SECTION,
  status: "current",
  requirements: [
    {
      id: "tls12-floor",
      text: "TLS 1.2 or later: not SSL 3.0, TLS 1.0 or TLS 1.1",
      level: "shall",
      cite: SECTION,
      rule: { kind: "version-forbidden", versions: ["SSLv3", "TLSv1", "TLSv1.1"] },
    },
    {
      id: "tls12",
      text: "shall support TLS 1.2",
      level: "shall",
      cite: SECTION,
      rule: { kind: "version-required", versions: ["TLSv1.2"] },
    },
    {
      id: "required-suites",
      text: `shall support ${_BCP195_SUITES.join(", ")}`,
      level: "shall",
      cite: SECTION,
      rule: { kind: "suite-required", suites: [..._BCP195_SUITES] },
    },
    ..._bcp195MustNot(`${SECTION}`, "RFC 9325"),
  ],
};
