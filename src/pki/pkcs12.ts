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
  const keyInfo = asn1.fromDer(bytes(options.pkcs8));
  const shrouded = pki.encryptPrivateKeyInfo(keyInfo, options.password, {
    algorithm: "3des",
    count: 2048,
  });
  const keyBag = seq([oid(pki.oids.pkcs8ShroudedKeyBag), explicit0([shrouded]), attributes]);
  const safe = seq([data(seq(certBags)), data(seq([keyBag]))]);
  const safeDer = asn1.toDer(safe).getBytes();

  const salt = forge.random.getBytesSync(8);
  const macKey = forge.pkcs12.generateKey(
    options.password,
    new forge.util.ByteStringBuffer(salt),
    3,
    2048,
    20,
  );
  const hmac = forge.hmac.create();
  hmac.start("sha1", macKey);
  hmac.update(safeDer);
  const macData = seq([
    seq([
      seq([oid(pki.oids.sha1), asn1.create(0, asn1.Type.NULL, false, "")]),
      octets(hmac.digest().getBytes()),
    ]),
    octets(salt),
    asn1.create(0, asn1.Type.INTEGER, false, asn1.integerToDer(2048).getBytes()),
  ]);
  const pfx = seq([
    asn1.create(0, asn1.Type.INTEGER, false, asn1.integerToDer(3).getBytes()),
    seq([oid(pki.oids.data), explicit0([octets(safeDer)])]),
    macData,
  ]);
  return Uint8Array.from(asn1.toDer(pfx).getBytes(), (c) => c.charCodeAt(0));
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
