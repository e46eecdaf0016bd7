import assert from "node:assert/strict";
import { x509 } from "../pki/_x509.ts";
import { certificateInfo } from "./certificate_info.ts";

/** A self-signed certificate whose name is `name` (RFC 4514; `#hex` gives any DER string). */
async function selfSigned(name: string): Promise<Uint8Array> {
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: new x509.Name(name),
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys,
    signingAlgorithm: alg,
  });
  return new Uint8Array(cert.rawData);
}

Deno.test("certificateInfo() describes names node:crypto refuses: a TeletexString with 8-bit bytes, a PrintableString or IA5String outside its repertoire", async () => {
  const cases = {
    // T.61 is an 8-bit set: "M\xFCller" is a legal legacy name, refused as "invalid attributes".
    "CN=#14084dfc6c6c65721b5b": "CN=M\xfcller\x1b[",
    "CN=#1303a9ff41": "CN=\xa9\xffA",
    "O=#1602e91b": "O=\xe9\x1b",
  };
  for (const [name, shown] of Object.entries(cases)) {
    const info = certificateInfo(await selfSigned(name));
    assert.equal(info.subject, shown, name);
    assert.equal(info.issuer, shown, name);
  }
});
