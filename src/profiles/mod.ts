/**
 * DICOM PS3.15 Annex B secure transport profiles and the IHE ATNA TLS 1.2
 * floor as data, and a pure evaluator of them.
 *
 * - Profiles, one file each, every requirement citing its section:
 *   {@linkcode BASIC} (B.1, retired), {@linkcode AES} (B.3, retired),
 *   {@linkcode BCP195} (B.9), {@linkcode BCP195_ND} (B.10),
 *   {@linkcode BCP195_EXTENDED} (B.11), {@linkcode BCP195_RFC8996} (B.12),
 *   {@linkcode BCP195_RFC8996_MODIFIED} (B.13),
 *   {@linkcode IHE_ATNA_TLS12_FLOOR} (ITI TF-2 3.19.6.2.3);
 *   {@linkcode PROFILES}, {@linkcode profileByName}.
 * - {@linkcode evaluateProfile}: a verdict on a probed server (a
 *   `ProbeReport` of src/probe); {@linkcode evaluateClientHello}: on a
 *   client's ClientHello (inbound cases). Each violation is named, e.g.
 *   "accepts TLS 1.0 (forbidden by PS3.15 B.10)".
 *
 * See docs/probe.md for what each profile requires and where it was read.
 *
 * @example
 * ```ts
 * import { evaluateProfile, profileByName } from "./mod.ts";
 * import type { ProbeReport } from "../probe/mod.ts";
 * declare const report: ProbeReport;
 * const v = evaluateProfile(report, profileByName("bcp195-nd")!);
 * if (v.verdict === "non-compliant") console.log(v.violations.join("\n"));
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./b01_basic.ts";
export * from "./b03_aes.ts";
export * from "./b09_bcp195.ts";
export * from "./b10_bcp195_nd.ts";
export * from "./b11_bcp195_extended.ts";
export * from "./b12_bcp195_rfc8996.ts";
export * from "./b13_bcp195_rfc8996_modified.ts";
export * from "./ihe_atna_tls12_floor.ts";
export * from "./registry.ts";
export * from "./suite_filter.ts";
export * from "./capabilities.ts";
export * from "./evaluate.ts";
// A type the profile checks' signatures use, from the Outcome.
export type { ClientHelloInfo } from "../outcome/mod.ts";
