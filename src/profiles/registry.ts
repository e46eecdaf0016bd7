import { BASIC } from "./b01_basic.ts";
import { AES } from "./b03_aes.ts";
import { BCP195 } from "./b09_bcp195.ts";
import { BCP195_ND } from "./b10_bcp195_nd.ts";
import { BCP195_EXTENDED } from "./b11_bcp195_extended.ts";
import { BCP195_RFC8996 } from "./b12_bcp195_rfc8996.ts";
import { BCP195_RFC8996_MODIFIED } from "./b13_bcp195_rfc8996_modified.ts";
import { IHE_ATNA_TLS12_FLOOR } from "./ihe_atna_tls12_floor.ts";
import type { Profile } from "./types.ts";

/**
 * Every profile, in the order of PS3.15 Annex B, then IHE.
 *
 * @example
 * ```ts
 * import { PROFILES } from "./registry.ts";
 * PROFILES.map((p) => p.name);
 * // ["basic", "aes", "bcp195", "bcp195-nd", "bcp195-ex", "bcp195-rfc8996", "bcp195-rfc8996-modified", "ihe-atna-tls12"]
 * ```
 */
export const PROFILES: readonly Profile[] = [
  BASIC,
  AES,
  BCP195,
  BCP195_ND,
  BCP195_EXTENDED,
  BCP195_RFC8996,
  BCP195_RFC8996_MODIFIED,
  IHE_ATNA_TLS12_FLOOR,
];

const key = (name: string) => name.trim().toLowerCase();
const byName = new Map<string, Profile>();
for (const p of PROFILES) for (const n of [p.name, ...p.aliases]) byName.set(key(n), p);

/**
 * A profile by its name or an alias ("bcp195-nd", "B.10",
 * "non-downgrading"), case-insensitive; undefined when none has it.
 *
 * @example
 * ```ts
 * import { profileByName } from "./registry.ts";
 * profileByName("b.10")?.name; // "bcp195-nd"
 * ```
 */
export function profileByName(name: string): Profile | undefined {
  return byName.get(key(name));
}

/**
 * Every name a profile answers to, for messages and schemas.
 *
 * @example
 * ```ts
 * import { PROFILE_NAMES } from "./registry.ts";
 * PROFILE_NAMES.includes("bcp195-nd"); // true
 * ```
 */
export const PROFILE_NAMES: readonly string[] = PROFILES.map((p) => p.name);
