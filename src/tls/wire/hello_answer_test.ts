import assert from "node:assert/strict";
import { serverHelloRecord, type ServerHelloRecordOptions } from "../../testing/tls_records.ts";
import { buildClientHello, type ClientHelloOptions } from "./client_hello_builder.ts";
import { type ClientHelloInfo, decodeClientHello } from "./client_hello.ts";
import { checkServerHello } from "./hello_answer.ts";
import { decodeServerHello } from "./server_hello.ts";

// Handshake bodies start after the record header (5) and the handshake header (4).
function sent(o: ClientHelloOptions): ClientHelloInfo {
  const hello = decodeClientHello(buildClientHello(o).subarray(9));
  if ("error" in hello) throw new Error(hello.error);
  return hello;
}

function check(client: ClientHelloInfo, o: ServerHelloRecordOptions): string | undefined {
  const server = decodeServerHello(serverHelloRecord(o).subarray(9));
  if ("error" in server) throw new Error(server.error);
  return checkServerHello(client, server);
}

const TLS12 = sent({ version: "TLSv1.2", cipherSuites: [0xc02f, 0x002f] });
const TLS10 = sent({ version: "TLSv1", cipherSuites: [0x002f] });
const TLS13 = sent({
  version: "TLSv1.2",
  versions: ["TLSv1.3"],
  cipherSuites: [0x1301],
  groups: ["x25519", "secp256r1", "secp384r1"],
  keyShares: ["x25519"],
});

const TLS13_12 = sent({
  version: "TLSv1.2",
  versions: ["TLSv1.3", "TLSv1.2"],
  cipherSuites: [0x1301, 0xc02f],
  keyShares: ["x25519"],
});

Deno.test("checkServerHello() takes a ServerHello that chose what the hello offered", () => {
  assert.equal(check(TLS12, { suite: 0x002f }), undefined);
  assert.equal(
    check(TLS12, { suite: 0x002f, version: 0x0301 }),
    undefined,
    "an older version: a refusal, valid",
  );
  assert.equal(
    check(TLS13, { suite: 0x1301, supportedVersion: 0x0304, keyShare: 0x001d }),
    undefined,
  );
  assert.equal(
    check(TLS13, {
      suite: 0x1301,
      supportedVersion: 0x0304,
      keyShare: 0x0018,
      helloRetryRequest: true,
    }),
    undefined,
  );
  assert.equal(
    check(TLS13, { suite: 0xc02f, version: 0x0303 }),
    "chose TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, which was not offered",
  );
});

Deno.test("checkServerHello() names what a ServerHello chose that was not offered", () => {
  const cases: [ClientHelloInfo, ServerHelloRecordOptions, string][] = [
    [TLS12, { suite: 0x0035 }, "chose TLS_RSA_WITH_AES_256_CBC_SHA, which was not offered"],
    [TLS12, { suite: 0x00ff }, "chose TLS_EMPTY_RENEGOTIATION_INFO_SCSV, which was not offered"],
    [TLS12, { suite: 0x002f, compression: 1 }, "chose compression method 1, which was not offered"],
    [TLS10, { suite: 0x002f }, "chose TLSv1.2, newer than the TLSv1 offered"],
    [
      TLS12,
      { suite: 0x1301, supportedVersion: 0x0304, keyShare: 0x001d },
      "answered with supported_versions, which the hello did not send",
    ],
    [
      TLS13,
      { suite: 0x1301, version: 0x0304, keyShare: 0x001d },
      "chose TLSv1.3 without supported_versions",
    ],
    [
      TLS13,
      { suite: 0x1301, supportedVersion: 0x0303 },
      "chose TLSv1.2, which was not offered",
    ],
    [
      TLS13_12,
      { suite: 0xc02f, supportedVersion: 0x0303 },
      "chose TLSv1.2 in supported_versions, where only TLS 1.3 may be",
    ],
    [
      TLS12,
      { suite: 0xc02f, version: 0x0301 },
      "chose TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, which TLSv1 does not have",
    ],
    [
      TLS13,
      { suite: 0x1301, version: 0x0303, recordVersion: 0x0303 },
      "chose TLS_AES_128_GCM_SHA256, which TLSv1.2 does not have",
    ],
    [TLS13, { suite: 0x1301, supportedVersion: 0x0304 }, "a TLS 1.3 ServerHello without key_share"],
    [
      TLS13,
      { suite: 0x1301, supportedVersion: 0x0304, keyShare: 0x0018 },
      "a key share for group secp384r1, which the hello sent no share for",
    ],
    [
      TLS13,
      { suite: 0x1301, supportedVersion: 0x0304, keyShare: 0x001d, helloRetryRequest: true },
      "a HelloRetryRequest for group x25519, whose key share the hello already sent",
    ],
    [
      TLS13,
      { suite: 0x1301, supportedVersion: 0x0304, keyShare: 0x0019, helloRetryRequest: true },
      "a HelloRetryRequest for group secp521r1, which was not offered",
    ],
    [
      TLS13,
      { suite: 0x1301, supportedVersion: 0x0304, helloRetryRequest: true },
      "a HelloRetryRequest that asks for no key share and sends no cookie",
    ],
    [
      TLS13,
      {
        suite: 0x1301,
        supportedVersion: 0x0304,
        keyShare: 0x001d,
        extensions: [{ type: 43, data: Uint8Array.of(3, 3) }],
      },
      "two supported_versions extensions",
    ],
    [
      TLS12,
      { suite: 0x002f, helloRetryRequest: true },
      "a HelloRetryRequest for TLSv1.2 (only TLS 1.3 has one)",
    ],
  ];
  for (const [client, server, why] of cases) {
    assert.equal(check(client, server), why, JSON.stringify(server));
  }
});
