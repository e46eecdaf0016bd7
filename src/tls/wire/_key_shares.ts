import crypto from "node:crypto";

// Field sizes of the NIST curves (RFC 8446 4.2.8.2: uncompressed points).
const EC_CURVES: Record<number, { curve: string; size: number }> = {
  0x0017: { curve: "P-256", size: 32 },
  0x0018: { curve: "P-384", size: 48 },
  0x0019: { curve: "P-521", size: 66 },
};
// RFC 7919 group sizes in bytes.
const FFDHE: Record<number, number> = {
  0x0100: 256,
  0x0101: 384,
  0x0102: 512,
  0x0103: 768,
  0x0104: 1024,
};

function _fromBase64Url(text: string, size: number): Uint8Array {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(size);
  for (let i = 0; i < bin.length; i++) out[size - bin.length + i] = bin.charCodeAt(i);
  return out;
}

/**
 * A real public key for a key_share entry (the private key is thrown away:
 * a probe never finishes the handshake), so a TLS 1.3 server answers with a
 * ServerHello rather than an alert. Undefined for groups we cannot make.
 */
export function _keyShare(group: number): Uint8Array | undefined {
  if (group === 0x001d || group === 0x001e) {
    const pair = group === 0x001d
      ? crypto.generateKeyPairSync("x25519")
      : crypto.generateKeyPairSync("x448");
    const spki = pair.publicKey.export({ type: "spki", format: "der" });
    return new Uint8Array(spki.subarray(spki.length - (group === 0x001d ? 32 : 56)));
  }
  const ec = EC_CURVES[group];
  if (ec) {
    const jwk = crypto.generateKeyPairSync("ec", { namedCurve: ec.curve }).publicKey
      .export({ format: "jwk" });
    const point = new Uint8Array(1 + 2 * ec.size);
    point[0] = 4;
    point.set(_fromBase64Url(jwk.x!, ec.size), 1);
    point.set(_fromBase64Url(jwk.y!, ec.size), 1 + ec.size);
    return point;
  }
  const size = FFDHE[group];
  if (size) {
    // Any 1 < y < p-1 will do for a probe; the RFC 7919 primes start with 0xFF bytes.
    const y = crypto.getRandomValues(new Uint8Array(size));
    y[0] = 0x7f;
    return y;
  }
  return undefined;
}
