import { cipherSuite } from "../tls/wire/mod.ts";
import type { SuiteFilter } from "./types.ts";

/**
 * Whether a suite (by IANA code) is in the set a {@linkcode SuiteFilter}
 * describes. Key bits count 3DES as 112 (its effective strength) and leave
 * NULL encryption out of `bitsBelow` (it has its own rule). A code the
 * suite table does not know matches nothing.
 *
 * @example
 * ```ts
 * import { suiteMatches } from "./suite_filter.ts";
 * suiteMatches(0x000a, { bitsBelow: 128 }); // true (TLS_RSA_WITH_3DES_EDE_CBC_SHA)
 * suiteMatches(0xc02f, { kx: ["ECDH"], enc: ["AESGCM"] }); // true
 * ```
 */
export function suiteMatches(code: number, filter: SuiteFilter): boolean {
  const s = cipherSuite(code);
  if (!s) return false;
  const within = (list: string[] | undefined, value: string) =>
    list === undefined || list.includes(value);
  if (filter.names && !filter.names.includes(s.iana ?? "")) return false;
  if (!within(filter.kx, s.kx) || !within(filter.au, s.au)) return false;
  if (!within(filter.enc, s.enc) || !within(filter.mac, s.mac)) return false;
  if (filter.export !== undefined && s.export !== filter.export) return false;
  if (filter.bitsBelow !== undefined) {
    const bits = s.enc === "3DES" ? 112 : s.bits;
    if (s.enc === "None" || bits >= filter.bitsBelow) return false;
  }
  return true;
}

/**
 * Ephemeral Diffie-Hellman key exchange in TLS <= 1.2 (DHE, DHE-PSK): the
 * suites whose prime the server sends in its ServerKeyExchange.
 *
 * @example
 * ```ts
 * import { DHE_KEY_EXCHANGE, suiteMatches } from "./suite_filter.ts";
 * suiteMatches(0x009e, DHE_KEY_EXCHANGE); // true (TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)
 * ```
 */
export const DHE_KEY_EXCHANGE: SuiteFilter = { kx: ["DH", "DHEPSK"] };
