import type { Profile } from "./types.ts";

/**
 * PS3.15 B.1, Basic TLS Secure Transport Connection Profile (retired in
 * PS3.15 2018b; text in PS3.15 2018a): the framework of TLS 1.0, with RSA
 * certificates, RSA key exchange, SHA and Triple DES EDE CBC as the minimum
 * mechanisms (Table B.1-1), that is TLS_RSA_WITH_3DES_EDE_CBC_SHA.
 *
 * @example
 * ```ts
 * import { BASIC } from "./b01_basic.ts";
 * BASIC.section; // "PS3.15 B.1"
 * ```
 */
export const BASIC: Profile = {
  name: "basic",
  aliases: ["B.1", "basic-tls"],
  title: "Basic TLS Secure Transport Connection Profile",
  section: "PS3.15 B.1",
  status: "retired",
  note: "retired in PS3.15 2018b; checked against PS3.15 2018a Table B.1-1",
  requirements: [
    {
      id: "tls10",
      text: "shall utilize the framework and negotiation mechanism of TLS version 1.0",
      level: "shall",
      cite: "PS3.15 B.1",
      rule: { kind: "version-required", versions: ["TLSv1"] },
    },
    {
      id: "3des",
      text:
        "minimum mechanisms: RSA certificates, RSA key exchange, SHA, Triple DES EDE CBC (TLS_RSA_WITH_3DES_EDE_CBC_SHA)",
      level: "shall",
      cite: "PS3.15 B.1 Table B.1-1",
      rule: { kind: "suite-required", suites: ["TLS_RSA_WITH_3DES_EDE_CBC_SHA"] },
    },
  ],
};
