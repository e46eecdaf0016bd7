// @ts-types="npm:@types/node-forge@^1.3.11"
import forge from "node-forge";

/** What a PKCS#12 file holds, as PEM: the first key, its certificate, the rest as chain. */
export interface Pkcs12Contents {
  certPem: string;
  keyPem: string;
  chainPem: string[];
}

/**
 * Reads a PKCS#12 (PFX) file. node-forge decodes only RSA keys and
 * certificates into objects; for EC it leaves the ASN.1, which is all we need
 * for PEM. Throws an Error with forge's message (e.g. wrong password).
 */
export function readPkcs12(bytes: Uint8Array, password: string): Pkcs12Contents {
  const { asn1, pki, pkcs12 } = forge;
  const p12 = pkcs12.pkcs12FromAsn1(asn1.fromDer(binary(bytes)), false, password);
  const keys =
    p12.getBags({ bagType: pki.oids.pkcs8ShroudedKeyBag })[pki.oids.pkcs8ShroudedKeyBag] ??
      [];
  keys.push(...(p12.getBags({ bagType: pki.oids.keyBag })[pki.oids.keyBag] ?? []));
  const certs = p12.getBags({ bagType: pki.oids.certBag })[pki.oids.certBag] ?? [];
  const key = keys[0];
  if (!key || certs.length === 0) throw new Error("it holds no private key or no certificate");
  const keyAsn1 = key.key ? pki.wrapRsaPrivateKey(pki.privateKeyToAsn1(key.key)) : key.asn1!;
  const keyId = key.attributes?.localKeyId?.[0];
  // The certificate paired with the key carries the same localKeyId.
  const mine = certs.findIndex((c) =>
    keyId !== undefined && c.attributes?.localKeyId?.[0] === keyId
  );
  const ordered = mine > 0 ? [certs[mine], ...certs.filter((_, i) => i !== mine)] : certs;
  const pems = ordered.map((c) =>
    pem("CERTIFICATE", asn1.toDer(c.cert ? pki.certificateToAsn1(c.cert) : c.asn1!).getBytes())
  );
  return {
    certPem: pems[0],
    keyPem: pem("PRIVATE KEY", asn1.toDer(keyAsn1).getBytes()),
    chainPem: pems.slice(1),
  };
}

function pem(type: string, der: string): string {
  return forge.pem.encode({ type, body: der }, { maxline: 64 }).replaceAll("\r\n", "\n");
}

function binary(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
