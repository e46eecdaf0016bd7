import assert from "node:assert/strict";
import {
  CONTENT_TYPES,
  extensionType,
  extensionTypeRef,
  HANDSHAKE_TYPES,
  isGrease,
  namedGroup,
  namedGroupRef,
  protocolVersion,
  signatureScheme,
  signatureSchemeRef,
  typeName,
  versionRef,
} from "./names.ts";

Deno.test("protocolVersion() takes codes and the spellings people write", () => {
  assert.deepEqual(protocolVersion(0x0300), { code: 0x0300, name: "SSLv3" });
  const names = ["TLSv1", "TLSv1.0", "tls1", "TLS1.1", "tls1_2", "TLSv1.3", "sslv3"].map((n) =>
    protocolVersion(n)?.name
  );
  assert.deepEqual(names, ["TLSv1", "TLSv1", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "SSLv3"]);
  assert.equal(protocolVersion("TLSv2"), undefined);
  assert.equal(protocolVersion(0x0305), undefined);
});

Deno.test("versionRef() names drafts, GREASE and unknown versions", () => {
  assert.equal(versionRef(0x0304).name, "TLSv1.3");
  assert.equal(versionRef(0x7f17).name, "TLSv1.3-draft-23");
  assert.equal(versionRef(0x7a7a).name, "GREASE");
  assert.equal(versionRef(0x0200).name, "unknown_0x0200");
});

Deno.test("namedGroup() knows IANA names and the OpenSSL/NIST aliases", () => {
  assert.deepEqual(namedGroup(0x001d), { code: 0x001d, name: "x25519" });
  assert.deepEqual(namedGroup("P-256"), { code: 0x0017, name: "secp256r1" });
  assert.deepEqual(namedGroup("prime256v1"), { code: 0x0017, name: "secp256r1" });
  assert.deepEqual(namedGroup("FFDHE2048"), { code: 0x0100, name: "ffdhe2048" });
  assert.equal(namedGroupRef(0x0a0a).grease, true);
});

Deno.test("signatureScheme() names TLS 1.3 schemes and legacy TLS 1.2 hash/signature pairs", () => {
  assert.equal(signatureScheme(0x0403)?.name, "ecdsa_secp256r1_sha256");
  assert.equal(signatureScheme(0x0804)?.name, "rsa_pss_rsae_sha256");
  assert.equal(signatureScheme(0x0201)?.name, "rsa_pkcs1_sha1");
  assert.equal(signatureScheme(0x0402)?.name, "dsa_sha256");
  assert.equal(signatureScheme(0x0101)?.name, "rsa_pkcs1_md5");
  assert.equal(signatureScheme("ECDSA_SECP384R1_SHA384")?.code, 0x0503);
  assert.equal(signatureSchemeRef(0xfe00).name, "unknown_0xfe00");
});

Deno.test("extensionType() and the type tables name what a hello and a record carry", () => {
  assert.equal(extensionType(0)?.name, "server_name");
  assert.equal(extensionType("supported_versions")?.code, 43);
  assert.equal(extensionTypeRef(0xff01).name, "renegotiation_info");
  assert.equal(extensionTypeRef(0x1a1a).name, "GREASE");
  assert.equal(typeName(HANDSHAKE_TYPES, 14), "server_hello_done");
  assert.equal(typeName(CONTENT_TYPES, 23), "application_data");
  assert.equal(typeName(CONTENT_TYPES, 99), "unknown_99");
});

Deno.test("isGrease() accepts exactly the sixteen RFC 8701 values", () => {
  const all = Array.from({ length: 0x10000 }, (_, i) => i).filter(isGrease);
  assert.equal(all.length, 16);
  assert.equal(all[0], 0x0a0a);
  assert.equal(all[15], 0xfafa);
});
