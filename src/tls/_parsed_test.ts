// The path checker's own DER reading against @peculiar/x509 as the oracle:
// every certificate of the four test PKIs and made-to-order edge cases
// (names that need escaping, IPv6 and DNS altNames, path lengths, no key
// identifiers, RSA-1024, SHA-1) read the same, field by field.
import assert from "node:assert/strict";
import { plain, x509 } from "./_x509.ts";
import { KEY_USAGE, parseCertificate } from "./_parsed.ts";
import { CLIENT_AUTH, makeCert, SERVER_AUTH } from "../testing/certificates.ts";
import { testPki } from "../testing/pki.ts";
import { fc } from "../testing/fast_check.ts";
import { verifyCertificatePath } from "./verify_path.ts";

function oracle(der: Uint8Array) {
  const c = new x509.X509Certificate(plain(der));
  const bc = c.getExtension(x509.BasicConstraintsExtension);
  const ku = c.getExtension(x509.KeyUsagesExtension);
  const eku = c.getExtension(x509.ExtendedKeyUsageExtension);
  const ski = c.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = c.getExtension(x509.AuthorityKeyIdentifierExtension);
  const san = c.getExtension(x509.SubjectAlternativeNameExtension);
  const hash = (c.signatureAlgorithm as { hash?: { name: string } }).hash?.name;
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber.toLowerCase(),
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    spki: [...new Uint8Array(c.publicKey.rawData)],
    rsaBits: (c.publicKey.algorithm as { modulusLength?: number }).modulusLength,
    signatureHash: (hash ?? "").toLowerCase().replace("-", ""),
    basicConstraints: bc
      ? { ca: bc.ca, ...(bc.pathLength !== undefined ? { pathLength: bc.pathLength } : {}) }
      : undefined,
    keyUsage: ku?.usages,
    extendedKeyUsage: eku ? Array.from(eku.usages, String) : undefined,
    subjectKeyId: ski?.keyId.toLowerCase(),
    authorityKeyId: aki?.keyId?.toLowerCase(),
    altNames: (san?.names.items ?? []).filter((n) => n.type === "dns" || n.type === "ip")
      .map((n) => ({ type: n.type, value: n.value })),
  };
}

function ours(der: Uint8Array) {
  const c = parseCertificate(der);
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    spki: [...c.spki],
    rsaBits: c.rsaBits,
    signatureHash: c.signatureHash,
    basicConstraints: c.basicConstraints,
    keyUsage: c.keyUsage,
    extendedKeyUsage: c.extendedKeyUsage,
    subjectKeyId: c.subjectKeyId,
    authorityKeyId: c.authorityKeyId,
    altNames: c.altNames,
  };
}

Deno.test("parseCertificate() reads every certificate of the test PKIs as @peculiar/x509 does", async () => {
  let count = 0;
  for (const name of ["standard", "rsa", "ec", "inbound"]) {
    const pki = await testPki(name);
    for (const entry of pki.manifest.entries) {
      const file = entry.files.der;
      if (!file) continue;
      const der = await Deno.readFile(`${pki.dir}/${file}`);
      assert.deepEqual(ours(der), oracle(der), `${name}/${entry.name}`);
      count++;
    }
  }
  assert.ok(count > 40, `only ${count} certificates read`);
});

Deno.test("parseCertificate() reads edge cases as @peculiar/x509 does", async () => {
  const root = await makeCert({
    name: String.raw`root\, \"quoted\" \+ \;\<tricky\>`,
    ca: true,
    pathLength: 0,
  });
  const cases = [
    root,
    await makeCert({
      name: String.raw`\ leading space, #`.replace(",", String.raw`\,`),
      issuer: root,
      eku: [SERVER_AUTH, CLIENT_AUTH],
      keyUsage: KEY_USAGE.digitalSignature | KEY_USAGE.keyAgreement | KEY_USAGE.decipherOnly,
      san: [
        { type: "dns", value: "*.example.org" },
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "2001:db8::1" },
        { type: "ip", value: "::1" },
        { type: "ip", value: "fe80:0:0:1::" },
      ],
      serial: "00ff01",
    }),
    await makeCert({ name: "rsa-1024 sha-1", rsaBits: 1024, hash: "SHA-1", noKeyIds: true }),
    await makeCert({
      name: "old",
      notBefore: new Date("1999-12-31T23:59:59Z"),
      notAfter: new Date("2051-01-01T00:00:00Z"),
    }),
  ];
  for (const c of cases) assert.deepEqual(ours(c.der), oracle(c.der), c.cert.subject);
});

Deno.test("parseCertificate() refuses what is not a certificate, with a reason", () => {
  for (
    const bad of [
      new Uint8Array(0),
      new Uint8Array([0x30, 0x82, 0xff, 0xff, 0x00]),
      new Uint8Array([0x04, 0x02, 0x01, 0x02]),
      new TextEncoder().encode("-----BEGIN CERTIFICATE-----"),
    ]
  ) {
    assert.throws(() => parseCertificate(bad), /DER|certificate/);
  }
});

// A peer's certificates are the attacker's bytes: however they are mangled
// (bytes changed, lengths lied about, cut short), the checker reads them in
// bounded time and gives a verdict; it never throws (only a bad trust
// anchor, our own input, is an error) and never accepts them.
Deno.test("verifyCertificatePath() gives a verdict on any mangling of a peer's chain, never a throw", async () => {
  const pki = await testPki();
  const file = (name: string) =>
    Deno.readFile(`${pki.dir}/${pki.manifest.entries.find((e) => e.name === name)!.files.der}`);
  const [leaf, intermediate, root] = await Promise.all(
    ["server", "intermediate", "root"].map(file), // the server's issuer is the intermediate
  );
  const mangle = fc.record({
    which: fc.constantFrom(0, 1),
    edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 6,
    }),
    cut: fc.option(fc.nat(), { nil: undefined }),
  });
  await fc.assert(
    fc.asyncProperty(mangle, async ({ which, edits, cut }) => {
      const chain = [new Uint8Array(leaf), new Uint8Array(intermediate)];
      const bytes = chain[which];
      for (const [at, value] of edits) bytes[at % bytes.length] = value;
      if (cut !== undefined) chain[which] = bytes.subarray(0, cut % bytes.length);
      const r = await verifyCertificatePath({ chain, anchors: [root], purpose: "server" });
      // Accepted only when no edit changed anything.
      if (r.ok) assert.deepEqual([chain[0], chain[1]], [leaf, intermediate]);
    }),
    { numRuns: 1500 },
  );
});

Deno.test("an ECDSA signature whose SEQUENCE tag was changed does not verify", async () => {
  const pki = await testPki();
  const file = (name: string) =>
    Deno.readFile(`${pki.dir}/${pki.manifest.entries.find((e) => e.name === name)!.files.der}`);
  const [leaf, intermediate, root] = await Promise.all(
    ["server", "intermediate", "root"].map(file),
  );
  // The signature BIT STRING ends the certificate: 03 len 00 30 len r s.
  const mangled = new Uint8Array(intermediate);
  const at = mangled.lastIndexOf(0x30, mangled.length - 70);
  assert.equal(mangled[at - 1], 0x00, "the BIT STRING's unused-bits byte before the SEQUENCE");
  mangled[at] = 0xa0;
  const r = await verifyCertificatePath({
    chain: [leaf, mangled],
    anchors: [root],
    purpose: "server",
  });
  assert.equal(r.ok, false);
  assert.deepEqual(r.reasons, ["bad-signature"]);
});
