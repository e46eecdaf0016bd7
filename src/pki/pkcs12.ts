// @ts-types="npm:@types/node-forge@^1.3.11"
import forge from "node-forge";

const { asn1, pki } = forge;

/** Options of {@linkcode toPkcs12}. */
export interface Pkcs12Options {
  /** The certificate (DER), first in the file and paired with the key. */
  certificate: Uint8Array<ArrayBuffer>;
  /** Further certificates (DER): the chain. */
  chain?: Uint8Array<ArrayBuffer>[];
  /** The private key as PKCS#8 DER (RSA or EC alike). */
  pkcs8: Uint8Array<ArrayBuffer>;
  /** The password that protects the key and the file's integrity. */
  password: string;
  /** Shown by Windows' certificate manager. */
  friendlyName?: string;
}

/**
 * Builds a PKCS#12 (PFX) file: certificates in plain bags, the key in a
 * pkcs8ShroudedKeyBag (PBE-SHA1-3DES, readable by OpenSSL 3 and every Windows
 * version), HMAC-SHA1 integrity. node-forge's own `toPkcs12Asn1` only takes
 * RSA keys and certificates, so the bags are assembled here from its
 * algorithm-agnostic pieces.
 *
 * @example
 * ```ts
 * import { toPkcs12 } from "./pkcs12.ts";
 * declare const der: Uint8Array<ArrayBuffer>, pkcs8: Uint8Array<ArrayBuffer>;
 * const p12 = toPkcs12({ certificate: der, pkcs8, password: "dicomtls" });
 * ```
 */
export function toPkcs12(options: Pkcs12Options): Uint8Array<ArrayBuffer> {
  const localKeyId = forge.md.sha1.create().update(bytes(options.certificate)).digest().getBytes();
  const attributes = set([
    attribute(pki.oids.localKeyId, asn1.create(0, asn1.Type.OCTETSTRING, false, localKeyId)),
    ...(options.friendlyName === undefined ? [] : [
      attribute(
        pki.oids.friendlyName,
        asn1.create(0, asn1.Type.BMPSTRING, false, options.friendlyName),
      ),
    ]),
  ]);
  const certBags = [options.certificate, ...(options.chain ?? [])].map((der, i) =>
    seq([
      oid(pki.oids.certBag),
      explicit0([seq([oid(pki.oids.x509Certificate), explicit0([octets(bytes(der))])])]),
      ...(i === 0 ? [attributes] : []),
    ])
  );
  const shrouded = shroud(options.pkcs8, options.password);
  const keyBag = seq([oid(pki.oids.pkcs8ShroudedKeyBag), explicit0([shrouded]), attributes]);
  const safe = seq([data(seq(certBags)), data(seq([keyBag]))]);
  const safeDer = asn1.toDer(safe).getBytes();

  const salt = SALTS.mac;
  const macKey = pkcs12Key(options.password, salt, 3, 20);
  const hmac = forge.hmac.create();
  hmac.start("sha1", macKey);
  hmac.update(safeDer);
  const macData = seq([
    seq([
      seq([oid(pki.oids.sha1), asn1.create(0, asn1.Type.NULL, false, "")]),
      octets(hmac.digest().getBytes()),
    ]),
    octets(salt),
    asn1.create(0, asn1.Type.INTEGER, false, asn1.integerToDer(ITERATIONS).getBytes()),
  ]);
  const pfx = seq([
    asn1.create(0, asn1.Type.INTEGER, false, asn1.integerToDer(3).getBytes()),
    seq([oid(pki.oids.data), explicit0([octets(safeDer)])]),
    macData,
  ]);
  return Uint8Array.from(asn1.toDer(pfx).getBytes(), (c) => c.charCodeAt(0));
}

// PKCS#12 key derivation (RFC 7292 B.2) is 2,048 SHA-1 rounds in pure JS, about
// 4.5 ms per key and three keys per file: most of a PKI's generation time. The
// files of one run therefore share their salts (test material, with a password
// the README states), so each key is derived once per run, not once per file.
const ITERATIONS = 2048;
const SALTS = { pbe: forge.random.getBytesSync(8), mac: forge.random.getBytesSync(8) };
const derived = new Map<string, string>();

function pkcs12Key(password: string, salt: string, id: 1 | 2 | 3, length: number): string {
  const key = `${id}\0${length}\0${salt}\0${password}`;
  let value = derived.get(key);
  if (value === undefined) {
    const saltBuffer = new forge.util.ByteStringBuffer(salt);
    value = forge.pkcs12.generateKey(password, saltBuffer, id, ITERATIONS, length).getBytes();
    derived.set(key, value);
  }
  return value;
}

// EncryptedPrivateKeyInfo with pbeWithSHAAnd3-KeyTripleDES-CBC, as forge's
// encryptPrivateKeyInfo builds it, but with the run's salt and derived keys.
function shroud(pkcs8: Uint8Array<ArrayBuffer>, password: string): Asn1 {
  const cipher = forge.cipher.createCipher("3DES-CBC", pkcs12Key(password, SALTS.pbe, 1, 24));
  cipher.start({ iv: pkcs12Key(password, SALTS.pbe, 2, 8) });
  cipher.update(new forge.util.ByteStringBuffer(bytes(pkcs8)));
  cipher.finish();
  return seq([
    seq([
      oid(pki.oids["pbeWithSHAAnd3-KeyTripleDES-CBC"]),
      seq([
        octets(SALTS.pbe),
        asn1.create(0, asn1.Type.INTEGER, false, asn1.integerToDer(ITERATIONS).getBytes()),
      ]),
    ]),
    octets(cipher.output.getBytes()),
  ]);
}

type Asn1 = forge.asn1.Asn1;

const seq = (items: Asn1[]) => asn1.create(0, asn1.Type.SEQUENCE, true, items);
const set = (items: Asn1[]) => asn1.create(0, asn1.Type.SET, true, items);
const oid = (id: string) => asn1.create(0, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const octets = (binary: string) => asn1.create(0, asn1.Type.OCTETSTRING, false, binary);
const explicit0 = (items: Asn1[]) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, items);
const attribute = (id: string, value: Asn1) => seq([oid(id), set([value])]);
// A PKCS#7 ContentInfo of type data around DER content.
const data = (content: Asn1) =>
  seq([oid(pki.oids.data), explicit0([octets(asn1.toDer(content).getBytes())])]);

function bytes(der: Uint8Array<ArrayBuffer>): string {
  let binary = "";
  for (const b of der) binary += String.fromCharCode(b);
  return binary;
}
