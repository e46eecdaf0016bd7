import type { WireObservation } from "../outcome/mod.ts";
/** The key exchange's ephemeral key, as a TLS stack reports it (OpenSSL, client role). */
export interface EphemeralKey {
  /** Finite-field or elliptic-curve Diffie-Hellman. */
  type: "DH" | "ECDH";
  /** The group, e.g. "prime256v1", "X25519" (absent for DH). */
  name?: string;
  /** Key size in bits. */
  size: number;
}

// Key sizes of the named groups, in bits (X25519 as OpenSSL reports it).
const GROUP_BITS: Record<string, number> = {
  x25519: 253,
  x448: 448,
  secp256r1: 256,
  secp384r1: 384,
  secp521r1: 521,
  ffdhe2048: 2048,
  ffdhe3072: 3072,
  ffdhe4096: 4096,
  ffdhe6144: 6144,
  ffdhe8192: 8192,
};

/**
 * The key exchange a handshake used: its group (e.g. "x25519",
 * "secp256r1", "DH" for a server's own DHE parameters) and key size in bits,
 * from the wire (the TLS 1.3 key share, the TLS 1.2 ServerKeyExchange), or
 * from what the TLS stack reported. Empty for RSA key exchange.
 *
 * @example
 * ```ts
 * import { keyExchangeOf } from "./key_exchange.ts";
 * keyExchangeOf(undefined, { type: "DH", size: 2048 }); // { group: "DH", keyBits: 2048 }
 * ```
 */
export function keyExchangeOf(
  wire?: WireObservation,
  ephemeral?: EphemeralKey,
): { group?: string; keyBits?: number } {
  const selected = wire?.serverHello?.selectedGroup?.name;
  if (selected) return { group: selected, keyBits: GROUP_BITS[selected] ?? ephemeral?.size };
  const kx = wire?.serverKeyExchange;
  if (kx?.kind === "dhe") return { group: "DH", keyBits: kx.primeBits };
  if (kx?.kind === "ecdhe" && kx.group) {
    return { group: kx.group.name, keyBits: GROUP_BITS[kx.group.name] ?? ephemeral?.size };
  }
  if (ephemeral) return { group: ephemeral.name ?? ephemeral.type, keyBits: ephemeral.size };
  return {};
}
