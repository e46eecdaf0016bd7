import type { Profile } from "./types.ts";

/**
 * PS3.15 B.3, AES TLS Secure Transport Connection Profile (retired in
 * PS3.15 2018b; text in PS3.15 2018a): the Basic profile's framework with
 * AES: TLS_RSA_WITH_AES_128_CBC_SHA, falling back to the Basic profile's
 * TLS_RSA_WITH_3DES_EDE_CBC_SHA. PS3.15 now notes that such implementations
 * interoperate with the BCP 195 profile (B.9).
 *
 * @example
 * ```ts
 * import { AES } from "./b03_aes.ts";
 * AES.requirements.map((r) => r.id); // ["tls10", "aes128", "3des-fallback"]
 * ```
 */
export const AES: Profile = {
  name: "aes",
  aliases: ["B.3", "aes-tls"],
  title: "AES TLS Secure Transport Connection Profile",
  section: "PS3.15 B.3",
  status: "retired",
  note:
    "retired in PS3.15 2018b; checked against PS3.15 2018a Table B.3-1 (the Triple DES fallback as a recommendation)",
  requirements: [
    {
      id: "tls10",
      text: "shall utilize the framework and negotiation mechanism of TLS version 1.0",
      level: "shall",
      cite: "PS3.15 B.3",
      rule: { kind: "version-required", versions: ["TLSv1"] },
    },
    {
      id: "aes128",
      text: "shall support TLS_RSA_WITH_AES_128_CBC_SHA",
      level: "shall",
      cite: "PS3.15 B.3 Table B.3-1",
      rule: { kind: "suite-required", suites: ["TLS_RSA_WITH_AES_128_CBC_SHA"] },
    },
    {
      id: "3des-fallback",
      text: "fall back to the Basic profile's TLS_RSA_WITH_3DES_EDE_CBC_SHA",
      level: "should",
      cite: "PS3.15 B.3",
      rule: { kind: "suite-required", suites: ["TLS_RSA_WITH_3DES_EDE_CBC_SHA"] },
    },
  ],
};
