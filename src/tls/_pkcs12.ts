// @ts-types="npm:@types/node-forge@^1.3.11"
import forge from "node-forge";

/** What a PKCS#12 file holds: private keys (PKCS#8 PEM) and certificates (DER), in file order. */
export interface Pkcs12Contents {
  keys: string[];
  certificates: Uint8Array[];
}

/**
 * Decodes a PKCS#12 file with node-forge. forge cannot make EC key objects:
 * for those it leaves the decrypted PrivateKeyInfo as ASN.1, which we emit as
 * PKCS#8 PEM ourselves; the same for certificates it cannot parse. Throws
 * forge's error for a wrong password or bad data.
 */
export function decodePkcs12(bytes: Uint8Array, password: string): Pkcs12Contents {
  const der = forge.util.createBuffer(String.fromCharCode(...bytes));
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der, false), false, password);
  const contents: Pkcs12Contents = { keys: [], certificates: [] };
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      // Set by forge when it could not build a key or certificate object itself.
      const raw = (bag as { asn1?: forge.asn1.Asn1 }).asn1;
      if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        const info = bag.key
          ? forge.pki.wrapRsaPrivateKey(
            forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey),
          )
          : raw!;
        contents.keys.push(forge.pki.privateKeyInfoToPem(info));
      } else if (bag.type === forge.pki.oids.certBag) {
        const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : raw!;
        contents.certificates.push(binary(forge.asn1.toDer(asn1).getBytes()));
      }
    }
  }
  return contents;
}

function binary(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
