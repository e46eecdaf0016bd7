import assert from "node:assert/strict";
import { verifyCertificatePath } from "./verify_path.ts";
import { CLIENT_AUTH, makeCert, makeCrl, SERVER_AUTH } from "../testing/certificates.ts";

const root = await makeCert({ name: "Test Root", ca: true });
const intermediate = await makeCert({
  name: "Test Intermediate",
  ca: true,
  pathLength: 0,
  issuer: root,
});
const rogue = await makeCert({ name: "Rogue Root", ca: true });
const san = [{ type: "dns" as const, value: "localhost" }, {
  type: "ip" as const,
  value: "127.0.0.1",
}];
const server = await makeCert({ name: "server", issuer: intermediate, eku: [SERVER_AUTH], san });
const anchors = [root.der];

Deno.test("verifyCertificatePath() accepts a server chain through an intermediate", async () => {
  const r = await verifyCertificatePath({
    chain: [server.der, intermediate.der],
    anchors,
    purpose: "server",
    hostname: "127.0.0.1",
  });
  assert.deepEqual(r.reasons, []);
  assert.equal(r.ok, true);
  assert.deepEqual(r.path.map((c) => c.subject), [
    "CN=server",
    "CN=Test Intermediate",
    "CN=Test Root",
  ]);
});

Deno.test("verifyCertificatePath() reports an unknown issuer when the intermediate is missing", async () => {
  const r = await verifyCertificatePath({ chain: [server.der], anchors });
  assert.deepEqual(r.reasons, ["unknown-issuer"]);
});

Deno.test("verifyCertificatePath() reports every reason at once", async () => {
  const old = await makeCert({
    name: "old",
    issuer: root,
    eku: [CLIENT_AUTH],
    notBefore: new Date("2020-01-01"),
    notAfter: new Date("2020-02-01"),
    rsaBits: 1024,
    hash: "SHA-1",
  });
  const r = await verifyCertificatePath({
    chain: [old.der],
    anchors,
    purpose: "server",
    hostname: "localhost",
    minRsaBits: 2048,
    minHash: "sha256",
  });
  assert.deepEqual(r.reasons, [
    "expired",
    "wrong-usage",
    "hostname-mismatch",
    "weak-key",
    "weak-hash",
  ]);
  assert.equal(r.details.length, 5);
  assert.match(r.details[0], /^expired: CN=old: notAfter 2020-02-01T00:00:00Z is before /);
});

Deno.test("verifyCertificatePath() tells self-signed from a rogue issuer", async () => {
  const self = await makeCert({ name: "self", eku: [CLIENT_AUTH] });
  assert.deepEqual((await verifyCertificatePath({ chain: [self.der], anchors })).reasons, [
    "self-signed",
  ]);
  const untrusted = await makeCert({ name: "untrusted", issuer: rogue, eku: [CLIENT_AUTH] });
  for (const chain of [[untrusted.der], [untrusted.der, rogue.der]]) {
    assert.deepEqual((await verifyCertificatePath({ chain, anchors })).reasons, ["unknown-issuer"]);
  }
  // A pinned self-signed certificate is its own anchor.
  assert.equal((await verifyCertificatePath({ chain: [self.der], anchors: [self.der] })).ok, true);
});

Deno.test("verifyCertificatePath() checks validity at the given time", async () => {
  const at = new Date(Date.now() + 400 * 86_400_000);
  const r = await verifyCertificatePath({ chain: [server.der, intermediate.der], anchors, at });
  assert.deepEqual(r.reasons, ["expired"]);
  const before = await verifyCertificatePath({
    chain: [server.der, intermediate.der],
    anchors,
    at: new Date(0),
  });
  assert.deepEqual(before.reasons, ["not-yet-valid"]);
});

Deno.test("verifyCertificatePath() finds a bad signature", async () => {
  const der = server.der.slice();
  der[der.length - 10] ^= 0xff; // inside the signature value
  const r = await verifyCertificatePath({ chain: [der, intermediate.der], anchors });
  assert.deepEqual(r.reasons, ["bad-signature"]);
});

Deno.test("verifyCertificatePath() refuses issuers that are not CAs and paths that are too long", async () => {
  const leafIssuer = await makeCert({ name: "not a ca", issuer: root });
  const below = await makeCert({ name: "below", issuer: leafIssuer });
  assert.deepEqual(
    (await verifyCertificatePath({ chain: [below.der, leafIssuer.der], anchors })).reasons,
    [
      "not-a-ca",
    ],
  );
  const sub = await makeCert({ name: "Sub CA", ca: true, issuer: intermediate });
  const deep = await makeCert({ name: "deep", issuer: sub });
  const r = await verifyCertificatePath({ chain: [deep.der, sub.der, intermediate.der], anchors });
  assert.deepEqual(r.reasons, ["path-too-long"]);
});

Deno.test("verifyCertificatePath() finds revoked certificates and forged CRLs", async () => {
  const crl = await makeCrl(intermediate, [server.cert.serialNumber]);
  const chain = [server.der, intermediate.der];
  assert.deepEqual((await verifyCertificatePath({ chain, anchors, crls: [crl] })).reasons, [
    "revoked",
  ]);
  const forged = await makeCrl({ ...rogue, cert: intermediate.cert }, [server.cert.serialNumber]);
  assert.deepEqual((await verifyCertificatePath({ chain, anchors, crls: [forged] })).reasons, [
    "bad-signature",
  ]);
  const empty = await makeCrl(intermediate, []);
  assert.equal((await verifyCertificatePath({ chain, anchors, crls: [empty] })).ok, true);
});

Deno.test("verifyCertificatePath() matches host names against subjectAltName only", async () => {
  const wild = await makeCert({
    name: "localhost",
    issuer: root,
    san: [{ type: "dns", value: "*.example.org" }],
  });
  const check = async (hostname: string) =>
    (await verifyCertificatePath({ chain: [wild.der], anchors, hostname })).reasons;
  assert.deepEqual(await check("pacs.example.org"), []);
  assert.deepEqual(await check("a.pacs.example.org"), ["hostname-mismatch"]);
  assert.deepEqual(await check("localhost"), ["hostname-mismatch"]);
  assert.deepEqual(await check("127.0.0.1"), ["hostname-mismatch"]);
});

Deno.test("verifyCertificatePath() reports no certificate and malformed ones", async () => {
  assert.deepEqual((await verifyCertificatePath({ chain: [], anchors })).reasons, [
    "no-certificate",
  ]);
  const r = await verifyCertificatePath({
    chain: [new Uint8Array([0x30, 0x03, 1, 2, 3])],
    anchors,
  });
  assert.deepEqual(r.reasons, ["malformed"]);
});

Deno.test("verifyCertificatePath() builds the path by key identifier when names collide", async () => {
  const twin = await makeCert({ name: "Test Intermediate", ca: true, issuer: root });
  const r = await verifyCertificatePath({
    chain: [server.der, twin.der, intermediate.der],
    anchors,
  });
  assert.equal(r.ok, true);
});

/** A chain of `n` CAs under `root`, leaf first: the leaf, then int n-1 ... int 0. */
async function longChain(n: number): Promise<Uint8Array[]> {
  const cas = [];
  let issuer = root;
  for (let i = 0; i < n; i++) {
    issuer = await makeCert({ name: `int ${i}`, ca: true, issuer });
    cas.unshift(issuer.der);
  }
  const leaf = await makeCert({ name: "leaf", issuer, eku: [SERVER_AUTH] });
  return [leaf.der, ...cas];
}

Deno.test("verifyCertificatePath() follows a path of 16 issuers to its anchor, and says where it stops a longer one", async () => {
  // 15 CAs and the root: 16 issuers (the anchor was never looked at: "no certificate of issuer").
  const fifteen = await verifyCertificatePath({ chain: await longChain(15), anchors });
  assert.deepEqual(fifteen.details, []);
  assert.equal(fifteen.path.length, 17);
  // A hostile peer's chain of 100 CAs: stopped at the limit, not blamed on a missing issuer it sent.
  const hundred = await verifyCertificatePath({ chain: await longChain(100), anchors });
  assert.deepEqual(hundred.details, [
    "unknown-issuer: the path from the peer's certificate reaches no trust anchor within 16 issuers (it goes on to CN=int 83; longer paths are not followed)",
  ]);
  assert.equal(hundred.path.length, 17);
});
