import { X509Certificate as NativeCertificate } from "node:crypto";
import { certificateInfo, thumbprintOf } from "./certificate_info.ts";
import { _children, _content, _hex, _oid, _readTlv, _time, type _Tlv } from "./_der.ts";
import { _nameText } from "./_name.ts";

/** Key usage bits as flags (RFC 5280 4.2.1.3: digitalSignature is bit 0). */
export const KEY_USAGE = {
  digitalSignature: 1,
  nonRepudiation: 2,
  keyEncipherment: 4,
  dataEncipherment: 8,
  keyAgreement: 16,
  keyCertSign: 32,
  cRLSign: 64,
  encipherOnly: 128,
  decipherOnly: 256,
} as const;

/** A subjectAltName entry the path checker matches host names against. */
export interface AltName {
  type: "dns" | "ip";
  value: string;
}

/** What the path checker reads of a certificate, decoded once from its DER. */
export interface ParsedCertificate {
  der: Uint8Array;
  subject: string;
  issuer: string;
  /** Lowercase hex of the serial number's bytes, without a leading sign byte. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** The SubjectPublicKeyInfo, DER. */
  spki: Uint8Array;
  /** RSA modulus size in bits; undefined for other keys. */
  rsaBits?: number;
  /** The signature's hash: "sha1", "sha256", ... ("" when none or unknown, as for Ed25519). */
  signatureHash: string;
  /** Whether the signature value is well formed: a BIT STRING; for ECDSA, exactly SEQUENCE { r, s }. */
  signatureStrictDer: boolean;
  basicConstraints?: { ca: boolean; pathLength?: number };
  /** KEY_USAGE flags; undefined without the extension. */
  keyUsage?: number;
  /** Extended key usage OIDs; undefined without the extension. */
  extendedKeyUsage?: string[];
  subjectKeyId?: string;
  authorityKeyId?: string;
  altNames: AltName[];
}

// A peer sends the same chain on every connection and the anchors rarely
// change: everything kept here is a pure function of the certificate bytes,
// never a verdict that depends on time, policy or anchors.
const MAX_PARSED = 256;
const parsed = new Map<string, ParsedCertificate>();
const signatures = new WeakMap<ParsedCertificate, WeakMap<ParsedCertificate, boolean>>();

/**
 * Decodes a DER certificate, reusing the result for bytes decoded before
 * (the least recently used of {@linkcode MAX_PARSED} is dropped). Throws for
 * bytes that are not an X.509 certificate.
 */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const key = thumbprintOf(der, "sha256");
  const known = parsed.get(key);
  if (known) {
    parsed.delete(key);
    parsed.set(key, known);
    return known;
  }
  const cert = decode(new Uint8Array(der));
  // What the Outcome cannot describe (node:crypto's reading) is malformed
  // too (found by the mangled-chain property test); the description is kept.
  certificateInfo(cert.der);
  parsed.set(key, cert);
  if (parsed.size > MAX_PARSED) parsed.delete(parsed.keys().next().value!);
  return cert;
}

/**
 * Whether `issuer`'s key verifies `cert`'s signature, remembered per pair.
 * node:crypto's native check first (under 1 ms); in Deno it also says false
 * for SHA-1 signatures and RSA-1024 keys (measured), so for those alone a
 * `false` is confirmed by @peculiar/x509, loaded then, which judges the
 * signature alone, and only on a signature in strict DER: it accepted an
 * ECDSA signature whose SEQUENCE tag was changed (found by the
 * mangled-chain property test).
 */
export async function signedBy(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
): Promise<boolean> {
  let byIssuer = signatures.get(cert);
  if (!byIssuer) signatures.set(cert, byIssuer = new WeakMap());
  let verdict = byIssuer.get(issuer);
  if (verdict === undefined) {
    verdict = nativeVerify(cert, issuer) ||
      (nativeCannotTell(cert, issuer) && await portableVerify(cert, issuer));
    byIssuer.set(issuer, verdict);
  }
  return verdict;
}

function nativeVerify(cert: ParsedCertificate, issuer: ParsedCertificate): boolean {
  try {
    return new NativeCertificate(cert.der).verify(new NativeCertificate(issuer.der).publicKey);
  } catch {
    return false;
  }
}

// What Deno's native check refuses whatever the signature (measured: SHA-1,
// RSA keys under 2048 bits; MD5 alike), on a signature encoded as DER wants.
function nativeCannotTell(cert: ParsedCertificate, issuer: ParsedCertificate): boolean {
  const weak = cert.signatureHash === "sha1" || cert.signatureHash === "md5" ||
    (issuer.rsaBits !== undefined && issuer.rsaBits < 2048);
  return weak && cert.signatureStrictDer;
}

async function portableVerify(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
): Promise<boolean> {
  const { plain, x509 } = await import("./_x509.ts");
  try {
    return await new x509.X509Certificate(plain(cert.der)).verify({
      publicKey: new x509.X509Certificate(plain(issuer.der)),
      signatureOnly: true,
    });
  } catch {
    return false;
  }
}

// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature } (RFC 5280 4.1)
function decode(der: Uint8Array): ParsedCertificate {
  const top = _readTlv(der, 0);
  if (top.tag !== 0x30 || top.end !== der.length) throw new Error("not a DER certificate");
  const [tbs, signatureAlgorithm, signatureValue] = _children(der, top);
  if (tbs?.tag !== 0x30 || signatureAlgorithm?.tag !== 0x30) {
    throw new Error("not a DER certificate");
  }
  const fields = _children(der, tbs);
  const version = fields[0]?.tag === 0xa0 ? fields.shift()! : undefined;
  const [serial, , issuer, validity, subject, spki, ...rest] = fields;
  if (!spki || spki.tag !== 0x30 || validity.tag !== 0x30 || serial.tag !== 0x02) {
    throw new Error("not a DER certificate: missing TBSCertificate fields");
  }
  const [notBefore, notAfter] = _children(der, validity);
  const cert: ParsedCertificate = {
    der,
    subject: _nameText(der, subject),
    issuer: _nameText(der, issuer),
    serialNumber: _hex(der, serial).replace(/^00(?=..)/, ""),
    notBefore: _time(der, notBefore),
    notAfter: _time(der, notAfter),
    spki: der.subarray(spki.at, spki.end),
    rsaBits: rsaBits(der, spki),
    signatureHash: signatureHash(der, signatureAlgorithm),
    signatureStrictDer: strictSignature(der, signatureAlgorithm, signatureValue),
    altNames: [],
  };
  const extensions = rest.find((t) => t.tag === 0xa3);
  if (extensions && version) {
    const [list] = _children(der, extensions);
    for (const extension of _children(der, list)) readExtension(der, extension, cert);
  }
  return cert;
}

// Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
function readExtension(der: Uint8Array, extension: _Tlv, cert: ParsedCertificate): void {
  const parts = _children(der, extension);
  const oid = _oid(der, parts[0]);
  const octets = parts[parts.length - 1];
  if (octets.tag !== 0x04) throw new Error(`extension ${oid}: no extnValue`);
  const value = _readTlv(der, octets.start, octets.end);
  switch (oid) {
    case "2.5.29.19": { // basicConstraints
      const items = _children(der, value);
      const ca = items[0]?.tag === 0x01 && der[items[0].start] !== 0;
      const length = items.find((t) => t.tag === 0x02);
      cert.basicConstraints = {
        ca,
        ...(length ? { pathLength: parseInt(_hex(der, length) || "0", 16) } : {}),
      };
      break;
    }
    case "2.5.29.15": { // keyUsage: a BIT STRING, bit 0 first
      const bits = _content(der, value).subarray(1);
      let flags = 0;
      for (let i = 0; i < Math.min(bits.length * 8, 9); i++) {
        if (bits[i >> 3] & (0x80 >> (i & 7))) flags |= 1 << i;
      }
      cert.keyUsage = flags;
      break;
    }
    case "2.5.29.37": // extKeyUsage
      cert.extendedKeyUsage = _children(der, value).map((t) => _oid(der, t));
      break;
    case "2.5.29.14": // subjectKeyIdentifier
      cert.subjectKeyId = _hex(der, value);
      break;
    case "2.5.29.35": { // authorityKeyIdentifier: [0] keyIdentifier
      const id = _children(der, value).find((t) => t.tag === 0x80);
      if (id) cert.authorityKeyId = _hex(der, id);
      break;
    }
    case "2.5.29.17": // subjectAltName: [2] dNSName, [7] iPAddress
      for (const name of _children(der, value)) {
        if (name.tag === 0x82) {
          cert.altNames.push({
            type: "dns",
            value: new TextDecoder("latin1").decode(_content(der, name)),
          });
        } else if (name.tag === 0x87) {
          cert.altNames.push({ type: "ip", value: ipText(_content(der, name)) });
        }
      }
      break;
  }
}

const RSA_KEYS = new Set(["1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10"]);

// SubjectPublicKeyInfo ::= SEQUENCE { algorithm, BIT STRING { RSAPublicKey { modulus, e } } }
function rsaBits(der: Uint8Array, spki: _Tlv): number | undefined {
  const [algorithm, key] = _children(der, spki);
  if (!RSA_KEYS.has(_oid(der, _children(der, algorithm)[0]))) return undefined;
  const rsaKey = _readTlv(der, key.start + 1, key.end);
  const [modulus] = _children(der, rsaKey);
  let i = modulus.start;
  while (i < modulus.end && der[i] === 0) i++;
  if (i === modulus.end) return 0;
  return (modulus.end - i) * 8 - Math.clz32(der[i]) + 24;
}

// The signature BIT STRING (no unused bits); an ECDSA one holds exactly
// Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5480), nothing after.
function strictSignature(der: Uint8Array, algorithm: _Tlv, value: _Tlv | undefined): boolean {
  if (value?.tag !== 0x03 || value.end === value.start || der[value.start] !== 0) return false;
  if (!_oid(der, _children(der, algorithm)[0]).startsWith("1.2.840.10045.4.")) return true;
  try {
    const sig = _readTlv(der, value.start + 1, value.end);
    const parts = _children(der, sig);
    return sig.tag === 0x30 && sig.end === value.end && parts.length === 2 &&
      parts.every((p) => p.tag === 0x02 && p.end > p.start);
  } catch {
    return false;
  }
}

const HASHES: Record<string, string> = {
  "1.2.840.113549.1.1.4": "md5",
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.14": "sha224",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.1": "sha1",
  "1.2.840.10045.4.3.1": "sha224",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "1.2.840.10040.4.3": "sha1",
  "2.16.840.1.101.3.4.3.2": "sha256",
  // The hash algorithms themselves, as RSASSA-PSS parameters name them.
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.4": "sha224",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

// AlgorithmIdentifier; RSASSA-PSS carries its hash in [0] (default SHA-1, RFC 4055).
function signatureHash(der: Uint8Array, algorithm: _Tlv): string {
  const [oid, params] = _children(der, algorithm);
  const name = _oid(der, oid);
  if (name !== "1.2.840.113549.1.1.10") return HASHES[name] ?? "";
  const hash = params?.tag === 0x30
    ? _children(der, params).find((t) => t.tag === 0xa0)
    : undefined;
  if (!hash) return "sha1";
  return HASHES[_oid(der, _children(der, _children(der, hash)[0])[0])] ?? "";
}

function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join(".");
  if (bytes.length !== 16) return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]));
  // The longest run of zero groups (two or more) becomes "::" (RFC 5952).
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const text = groups.map((g) => g.toString(16));
  if (best.at < 0) return text.join(":");
  return `${text.slice(0, best.at).join(":")}::${text.slice(best.at + best.length).join(":")}`;
}
