import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import {
  decodeCertificateMessage,
  decodeCertificateRequest,
  decodeServerKeyExchange,
} from "./server_messages.ts";
import { firstMessage, type FixtureName } from "./_test_fixtures.ts";

const message = (name: FixtureName, type: string, from: "client" | "server" = "server") =>
  firstMessage(name, type, from);

Deno.test("decodeCertificateMessage() gives the server's chain as DER, leaf first", () => {
  const result = decodeCertificateMessage(message("deno_storescp_tls12", "certificate"));
  assert.ok(!("error" in result));
  const subjects = result.certificates.map((der) => new X509Certificate(der).subject);
  assert.match(subjects[0], /CN=localhost/);
  assert.match(subjects[1], /CN=dicomtls Test Intermediate CA/);
});

Deno.test("decodeCertificateMessage() gives a TLS 1.2 client's certificate", () => {
  const result = decodeCertificateMessage(
    message("openssl_storescp_untrusted_tls12", "certificate", "client"),
  );
  assert.ok(!("error" in result));
  assert.match(new X509Certificate(result.certificates[0]).issuer, /CN=Rogue CA/);
});

Deno.test("decodeServerKeyExchange() measures a DHE prime and names an ECDHE curve", () => {
  const dhe = decodeServerKeyExchange(
    message("openssl_storescp_dhe_tls12", "server_key_exchange"),
    {
      kx: "DH",
      withSignatureAlgorithm: true,
    },
  );
  assert.ok(!("error" in dhe) && dhe.kind === "dhe");
  assert.equal(dhe.primeBits, 2048);
  assert.equal(dhe.signatureAlgorithm?.name, "rsa_pss_rsae_sha256");
  const ecdhe = decodeServerKeyExchange(message("deno_storescp_tls12", "server_key_exchange"), {
    kx: "ECDH",
    withSignatureAlgorithm: true,
  });
  assert.deepEqual(ecdhe, {
    kind: "ecdhe",
    group: { code: 0x0017, name: "secp256r1" },
    curveType: 3,
    signatureAlgorithm: { code: 0x0804, name: "rsa_pss_rsae_sha256" },
  });
});

Deno.test("decodeServerKeyExchange() reads export RSA and leaves other key exchanges alone", () => {
  const rsa = decodeServerKeyExchange(new Uint8Array([0, 2, 0x01, 0xff, 0, 1, 3]), {
    kx: "RSA(512)",
    withSignatureAlgorithm: false,
  });
  assert.deepEqual(rsa, { kind: "rsa", modulusBits: 9 });
  assert.deepEqual(
    decodeServerKeyExchange(new Uint8Array([1]), { kx: "SRP", withSignatureAlgorithm: true }),
    {
      kind: "other",
      kx: "SRP",
    },
  );
});

Deno.test("decodeCertificateRequest() reads certificate types and TLS 1.2 signature algorithms", () => {
  const tls12 = decodeCertificateRequest(message("deno_storescp_tls12", "certificate_request"), {
    withSignatureAlgorithms: true,
  });
  assert.ok(!("error" in tls12));
  assert.deepEqual(tls12.certificateTypes, ["rsa_sign", "dss_sign", "ecdsa_sign"]);
  assert.equal(tls12.signatureAlgorithms?.[0].name, "ecdsa_secp256r1_sha256");
  const tls10 = decodeCertificateRequest(
    message("openssl_storescp_px_tls10", "certificate_request"),
    {
      withSignatureAlgorithms: false,
    },
  );
  assert.deepEqual(tls10, {
    certificateTypes: ["rsa_sign", "dss_sign", "ecdsa_sign"],
    authorities: 0,
  });
});
