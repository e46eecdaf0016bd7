import assert from "node:assert/strict";
import { buildClientHello, type ClientHelloOptions } from "./client_hello_builder.ts";
import { decodeClientHello } from "./client_hello.ts";
import { parseHandshakeStream } from "./handshake.ts";
import { _Reader } from "./_reader.ts";

function decoded(options: ClientHelloOptions) {
  const bytes = buildClientHello(options);
  const stream = parseHandshakeStream(bytes);
  assert.equal(stream.error, undefined);
  assert.equal(stream.messages.length, 1);
  const hello = decodeClientHello(stream.messages[0].body);
  if ("error" in hello) throw new Error(hello.error);
  return { bytes, hello, body: stream.messages[0].body, records: stream.records };
}

/** key_share entries as [group, key length]. */
function keyShareLengths(body: Uint8Array): [number, number][] {
  const r = new _Reader(body);
  r.take(2 + 32, "version and random");
  r.vector(1, "session id");
  r.vector(2, "suites");
  r.vector(1, "compression");
  const extensions = r.sub(2, "extensions");
  while (extensions.remaining > 0) {
    const type = extensions.u16("type");
    const data = extensions.sub(2, "data");
    if (type !== 51) continue;
    const shares = data.sub(2, "shares");
    const out: [number, number][] = [];
    while (shares.remaining > 0) out.push([shares.u16("group"), shares.vector(2, "key").length]);
    return out;
  }
  return [];
}

Deno.test("buildClientHello() builds a TLS 1.3 hello that decodes back to its options", () => {
  const { hello, bytes } = decoded({
    versions: ["TLSv1.3", "TLSv1.2"],
    cipherSuites: ["TLS_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"],
    groups: ["x25519", "P-256"],
    signatureAlgorithms: ["ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256"],
    sni: "pacs.example",
    alpn: ["dicom"],
    extendedMasterSecret: true,
    renegotiationInfo: true,
    sessionTicket: true,
  });
  assert.deepEqual([bytes[0], bytes[1], bytes[2]], [22, 3, 3]);
  assert.deepEqual(hello.offeredVersions, ["TLSv1.3", "TLSv1.2"]);
  assert.deepEqual(hello.cipherSuites.map((s) => s.code), [0x1301, 0xc02f]);
  assert.deepEqual(hello.supportedGroups?.map((g) => g.name), ["x25519", "secp256r1"]);
  assert.deepEqual(hello.keyShares?.map((g) => g.name), ["x25519"]);
  assert.deepEqual(hello.signatureAlgorithms?.map((s) => s.code), [0x0403, 0x0804]);
  assert.equal(hello.serverName, "pacs.example");
  assert.deepEqual(hello.alpn, ["dicom"]);
  assert.equal(hello.sessionIdLength, 32);
  assert.equal(hello.sessionTicket, "empty");
  assert.deepEqual(hello.pskModes, ["psk_dhe_ke"]);
  assert.equal(hello.extendedMasterSecret && hello.secureRenegotiation, true);
});

Deno.test("buildClientHello() builds an old-style hello: record and legacy version, no extensions asked", () => {
  const { hello, bytes } = decoded({
    version: "TLSv1",
    cipherSuites: [0x002f],
    groups: [],
    signatureAlgorithms: [],
  });
  assert.deepEqual([bytes[1], bytes[2]], [3, 1]);
  assert.equal(hello.legacyVersion.name, "TLSv1");
  assert.equal(hello.supportedVersions, undefined);
  assert.deepEqual(hello.extensions, []);
  assert.equal(hello.sessionIdLength, 0);
  const ssl3 = buildClientHello({
    version: "SSLv3",
    recordVersion: "SSLv3",
    cipherSuites: ["AES128-SHA"],
  });
  assert.deepEqual([ssl3[1], ssl3[2]], [3, 0]);
});

Deno.test("buildClientHello() makes real key shares of the right size for each group", () => {
  const { body } = decoded({
    versions: ["TLSv1.3"],
    cipherSuites: ["TLS_AES_256_GCM_SHA384"],
    keyShares: ["x25519", "x448", "secp256r1", "secp384r1", "secp521r1", "ffdhe2048"],
  });
  assert.deepEqual(keyShareLengths(body), [
    [0x001d, 32],
    [0x001e, 56],
    [0x0017, 65],
    [0x0018, 97],
    [0x0019, 133],
    [0x0100, 256],
  ]);
});

Deno.test("buildClientHello() sends an empty key_share when asked, for a HelloRetryRequest", () => {
  const { hello, body } = decoded({
    versions: ["TLSv1.3"],
    cipherSuites: ["TLS_AES_128_GCM_SHA256"],
    keyShares: [],
  });
  assert.ok(hello.extensions.some((e) => e.name === "key_share"));
  assert.deepEqual(keyShareLengths(body), []);
});

Deno.test("buildClientHello() splits a hello over 2^14 bytes into several records", () => {
  const { records, hello } = decoded({
    cipherSuites: ["AES128-SHA"],
    extensions: [{ type: 21, data: new Uint8Array(20_000) }],
  });
  assert.deepEqual(records.map((r) => r.length), [16384, records[1].length]);
  assert.equal(hello.extensions.at(-1)?.name, "padding");
});

Deno.test("buildClientHello() refuses names it does not know", () => {
  assert.throws(
    () => buildClientHello({ cipherSuites: ["NOT-A-SUITE"] }),
    /Cannot build ClientHello: unknown cipher suite 'NOT-A-SUITE'/,
  );
  assert.throws(
    () =>
      buildClientHello({ cipherSuites: [0x1301], versions: ["TLSv1.3"], keyShares: ["MLKEM768"] }),
    /no key share can be made/,
  );
});
