/**
 * Test-only certificate factory (EC P-256 by default: key generation takes
 * well under a millisecond), for unit tests that must not wait for the PKI
 * generator: any extension, validity, key and issuer, and CRLs.
 *
 * @module
 */
// @peculiar/x509 needs the Reflect metadata polyfill loaded before it.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const DAY = 86_400_000;

/** A certificate with its key pair. */
export interface TestCert {
  cert: x509.X509Certificate;
  der: Uint8Array;
  keys: CryptoKeyPair;
  /** PEM certificate and PKCS#8 PEM key. */
  certPem: string;
  keyPem: string;
}

/** What to put in a test certificate. */
export interface TestCertOptions {
  name: string;
  /**
   * The subject as RFC 4514 text instead of `CN=name` (`#hex` gives any DER
   * string type and bytes: `O=#14024dfc` is a TeletexString "M\xFC"); also
   * the issuer when self-signed.
   */
  subject?: string;
  issuer?: TestCert;
  ca?: boolean;
  pathLength?: number;
  eku?: string[];
  keyUsage?: number;
  san?: { type: "dns" | "ip"; value: string }[];
  notBefore?: Date;
  notAfter?: Date;
  rsaBits?: number;
  hash?: "SHA-1" | "SHA-256";
  serial?: string;
  /** Omit authority/subject key identifiers. */
  noKeyIds?: boolean;
}

/**
 * Makes a certificate; self-signed when no issuer is given.
 *
 * @example
 * ```ts
 * import { CLIENT_AUTH, makeCert } from "./certificates.ts";
 * const root = await makeCert({ name: "root", ca: true });
 * const client = await makeCert({ name: "client", issuer: root, eku: [CLIENT_AUTH] });
 * client.certPem; // "-----BEGIN CERTIFICATE-----..."
 * ```
 */
export async function makeCert(o: TestCertOptions): Promise<TestCert> {
  const alg = o.rsaBits
    ? {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: o.rsaBits,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: o.hash ?? "SHA-256",
    }
    : { ...EC, hash: o.hash ?? "SHA-256" };
  const keys = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]) as CryptoKeyPair;
  const signer = o.issuer?.keys ?? keys;
  const signingAlgorithm = o.issuer
    ? { ...(o.issuer.keys.privateKey.algorithm as Algorithm), hash: o.hash ?? "SHA-256" }
    : alg;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(!!o.ca, o.pathLength, true),
    new x509.KeyUsagesExtension(
      o.keyUsage ??
        (o.ca
          ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
          : x509.KeyUsageFlags.digitalSignature),
      true,
    ),
  ];
  if (o.eku) extensions.push(new x509.ExtendedKeyUsageExtension(o.eku));
  if (o.san) extensions.push(new x509.SubjectAlternativeNameExtension(o.san));
  if (!o.noKeyIds) {
    extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(signer.publicKey));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: o.serial ?? crypto.getRandomValues(new Uint8Array(8)).reduce(
      (s, b) => s + b.toString(16).padStart(2, "0"),
      "01",
    ),
    subject: o.subject ?? `CN=${o.name}`,
    issuer: o.issuer ? o.issuer.cert.subject : o.subject ?? `CN=${o.name}`,
    notBefore: o.notBefore ?? new Date(Date.now() - DAY),
    notAfter: o.notAfter ?? new Date(Date.now() + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm,
    extensions,
  });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    cert,
    der: new Uint8Array(cert.rawData),
    keys,
    certPem: cert.toString("pem"),
    keyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"),
  };
}

/**
 * One DER string (tag, content) as RFC 4514's `#hex`, for a subject of any
 * string type and any bytes (up to 64 KiB).
 *
 * @example
 * ```ts
 * import { derValue, makeCert } from "./certificates.ts";
 * const utf8 = derValue(0x0c, new TextEncoder().encode("\x1b[2J"));
 * await makeCert({ name: "hostile", subject: `CN=${utf8}` });
 * ```
 */
export function derValue(tag: number, content: Uint8Array): string {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return `#${[tag, ...length, ...content].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * A CRL by `issuer` listing `serials`, DER.
 *
 * @example
 * ```ts
 * import { makeCert, makeCrl } from "./certificates.ts";
 * const root = await makeCert({ name: "root", ca: true });
 * const crl = await makeCrl(root, ["05"]);
 * ```
 */
export async function makeCrl(issuer: TestCert, serials: string[]): Promise<Uint8Array> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.cert.subject,
    thisUpdate: new Date(Date.now() - DAY),
    nextUpdate: new Date(Date.now() + 30 * DAY),
    entries: serials.map((serialNumber) => ({
      serialNumber,
      revocationDate: new Date(Date.now() - DAY),
    })),
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: { ...(issuer.keys.privateKey.algorithm as Algorithm), hash: "SHA-256" },
  });
  return new Uint8Array(crl.rawData);
}

/**
 * The extended key usage of a TLS server (id-kp-serverAuth).
 *
 * @example
 * ```ts
 * import { makeCert, SERVER_AUTH } from "./certificates.ts";
 * const server = await makeCert({ name: "localhost", eku: [SERVER_AUTH] });
 * ```
 */
export const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

/**
 * The extended key usage of a TLS client (id-kp-clientAuth).
 *
 * @example
 * ```ts
 * import { CLIENT_AUTH, makeCert } from "./certificates.ts";
 * const client = await makeCert({ name: "HARNESS", eku: [CLIENT_AUTH] });
 * ```
 */
export const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
