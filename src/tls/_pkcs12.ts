// @ts-types="npm:@types/node-forge@^1.3.11"
import forge from "node-forge";

/** What a PKCS#12 file holds: private keys (PKCS#8 PEM) and certificates (DER), in file order. */
export interface Pkcs12Contents {
  keys: string[];
  certificates: Uint8Array[];
}

/**
 * The most key derivation iterations (PBKDF2 and the PKCS#12 KDF, for the
 * MAC and each encrypted bag) a PKCS#12 file may make us compute in all:
 * forge does about 400,000 a second here, and a file may ask for 2^31 - 1
 * (hours). OpenSSL writes 2,048 per derivation, Java 10,000.
 */
export const MAX_PKCS12_ITERATIONS = 3_000_000;

/** A PKCS#12 file that asks for more than {@linkcode MAX_PKCS12_ITERATIONS}. */
export class Pkcs12IterationsError extends Error {
  /** The error name, "Pkcs12IterationsError". */
  override name = "Pkcs12IterationsError";
  /** The count of the derivation that crossed the limit. */
  readonly count: number;

  /** The derivation of `count` iterations that crossed the limit. */
  constructor(count: number) {
    super(`more than ${MAX_PKCS12_ITERATIONS} key derivation iterations (one of ${count})`);
    this.count = count;
  }
}

// forge's key derivations, looked up by forge at each call: wrapped while a file is decoded.
// deno-lint-ignore no-explicit-any
type Derive = (...args: any[]) => unknown;
const DERIVATIONS = [
  [forge.pkcs5, "pbkdf2", 2],
  [forge.pkcs12, "generateKey", 3],
  [(forge.pki as unknown as { pbe: object }).pbe, "generatePkcs12Key", 3],
] as unknown as [Record<string, Derive>, string, number][];

/**
 * Decodes a PKCS#12 file with node-forge. forge cannot make EC key objects:
 * for those it leaves the decrypted PrivateKeyInfo as ASN.1, which we emit as
 * PKCS#8 PEM ourselves; the same for certificates it cannot parse. Throws
 * forge's error for a wrong password or bad data, a
 * {@linkcode Pkcs12IterationsError} before a derivation that would pass
 * {@linkcode MAX_PKCS12_ITERATIONS}.
 */
export function decodePkcs12(bytes: Uint8Array, password: string): Pkcs12Contents {
  const der = forge.util.createBuffer(binaryString(bytes));
  let total = 0;
  const originals = DERIVATIONS.map(([owner, name, countAt]) => {
    const original = owner[name];
    owner[name] = (...args) => {
      total += Number(args[countAt]);
      if (!(total <= MAX_PKCS12_ITERATIONS)) throw new Pkcs12IterationsError(Number(args[countAt]));
      return original(...args);
    };
    return original;
  });
  let p12;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der, false), false, password);
  } finally {
    DERIVATIONS.forEach(([owner, name], i) => owner[name] = originals[i]);
  }
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

// Bytes as forge's binary string, a piece at a time: spreading a file of some 125 KB (a
// key with a few hundred chain certificates) into one call overflowed the stack.
function binaryString(bytes: Uint8Array): string {
  let s = "";
  for (let at = 0; at < bytes.length; at += 8192) {
    s += String.fromCharCode(...bytes.subarray(at, at + 8192));
  }
  return s;
}

function binary(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
