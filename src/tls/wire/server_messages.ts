import { _decode, _DecodeError, _Reader } from "./_reader.ts";
import { namedGroupRef, signatureSchemeRef } from "./names.ts";
import type { CertificateRequestInfo, ServerKeyExchangeInfo } from "../../outcome/wire.ts";
export type { CertificateRequestInfo, ServerKeyExchangeInfo };

/**
 * Decodes a Certificate handshake body into DER certificates, leaf first.
 * `tls13` reads the TLS 1.3 layout (a request context and per-certificate
 * extensions, RFC 8446 4.4.2); otherwise the TLS 1.2 and earlier one (RFC
 * 5246 7.4.2), the only one seen in plaintext.
 *
 * @example
 * ```ts
 * declare const body: Uint8Array;
 * const result = decodeCertificateMessage(body);
 * if (!("error" in result)) console.log(result.certificates.length);
 * ```
 */
export function decodeCertificateMessage(
  body: Uint8Array,
  options: { tls13?: boolean } = {},
): { certificates: Uint8Array[] } | { error: string } {
  return _decode(() => {
    const r = new _Reader(body, "Certificate");
    if (options.tls13) r.vector(1, "certificate_request_context");
    const list = r.sub(3, "certificate_list");
    const certificates: Uint8Array[] = [];
    while (list.remaining > 0) {
      certificates.push(list.vector(3, "certificate").slice());
      if (options.tls13) list.vector(2, "extensions");
    }
    return { certificates };
  });
}

/**
 * Decodes a ServerKeyExchange body (RFC 5246 7.4.3, RFC 8422 5.4, RFC 4279)
 * given the key exchange of the chosen suite (`CipherSuite.kx`: "DH",
 * "DH(512)", "ECDH", "DHEPSK", "ECDHEPSK", "RSA(512)", ...). `withSignatureAlgorithm`
 * is true in TLS 1.2, where the signature names its algorithm.
 *
 * @example
 * ```ts
 * declare const body: Uint8Array;
 * const ske = decodeServerKeyExchange(body, { kx: "DH", withSignatureAlgorithm: true });
 * if (!("error" in ske) && ske.kind === "dhe") console.log(`DH ${ske.primeBits} bits`);
 * ```
 */
export function decodeServerKeyExchange(
  body: Uint8Array,
  options: { kx: string; withSignatureAlgorithm: boolean },
): ServerKeyExchangeInfo | { error: string } {
  return _decode((): ServerKeyExchangeInfo => {
    const r = new _Reader(body, "ServerKeyExchange");
    const kx = options.kx.replace(/\(\d+\)$/, "");
    if (kx === "DHEPSK" || kx === "ECDHEPSK") r.vector(2, "psk_identity_hint");
    const signature = () =>
      options.withSignatureAlgorithm && r.remaining >= 2
        ? { signatureAlgorithm: signatureSchemeRef(r.u16("signature algorithm")) }
        : {};
    if (kx === "DH" || kx === "DHEPSK") {
      const p = r.vector(2, "dh_p");
      r.vector(2, "dh_g");
      const ys = r.vector(2, "dh_Ys");
      return { kind: "dhe", primeBits: _bits(p), publicBits: _bits(ys), ...signature() };
    }
    if (kx === "ECDH" || kx === "ECDHEPSK") {
      const curveType = r.u8("curve_type");
      if (curveType !== 3) return { kind: "ecdhe", curveType };
      const group = namedGroupRef(r.u16("named_curve"));
      r.vector(1, "public point");
      return { kind: "ecdhe", group, curveType, ...signature() };
    }
    if (kx === "RSA") {
      const modulus = r.vector(2, "rsa_modulus");
      r.vector(2, "rsa_exponent");
      return { kind: "rsa", modulusBits: _bits(modulus), ...signature() };
    }
    return { kind: "other", kx: options.kx };
  });
}

/** Bits of a big-endian unsigned integer, leading zeros not counted. */
function _bits(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

const CERTIFICATE_TYPES: Record<number, string> = {
  1: "rsa_sign",
  2: "dss_sign",
  3: "rsa_fixed_dh",
  4: "dss_fixed_dh",
  5: "rsa_ephemeral_dh",
  6: "dss_ephemeral_dh",
  20: "fortezza_dms",
  64: "ecdsa_sign",
  65: "rsa_fixed_ecdh",
  66: "ecdsa_fixed_ecdh",
};

/**
 * Decodes a TLS 1.0-1.2 CertificateRequest body (RFC 5246 7.4.4);
 * `withSignatureAlgorithms` is true in TLS 1.2.
 *
 * @example
 * ```ts
 * declare const body: Uint8Array;
 * const request = decodeCertificateRequest(body, { withSignatureAlgorithms: true });
 * if (!("error" in request)) console.log(request.certificateTypes, request.authorities);
 * ```
 */
export function decodeCertificateRequest(
  body: Uint8Array,
  options: { withSignatureAlgorithms: boolean },
): CertificateRequestInfo | { error: string } {
  return _decode(() => {
    const r = new _Reader(body, "CertificateRequest");
    const types = [...r.vector(1, "certificate_types")]
      .map((t) => CERTIFICATE_TYPES[t] ?? `unknown_${t}`);
    const info: CertificateRequestInfo = { certificateTypes: types, authorities: 0 };
    if (options.withSignatureAlgorithms) {
      info.signatureAlgorithms = r.u16List(2, "supported_signature_algorithms")
        .map(signatureSchemeRef);
    }
    const authorities = r.sub(2, "certificate_authorities");
    while (authorities.remaining > 0) {
      authorities.vector(2, "distinguished name");
      info.authorities++;
    }
    if (r.remaining !== 0) throw new _DecodeError(`CertificateRequest: ${r.remaining} extra bytes`);
    return info;
  });
}
