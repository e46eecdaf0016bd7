import assert from "node:assert/strict";
import { verifyPeer } from "./policy.ts";
import { thumbprintOf } from "./certificate_info.ts";
import { makeCert, SERVER_AUTH } from "../testing/certificates.ts";

const root = await makeCert({ name: "Root", ca: true });
const server = await makeCert({
  name: "server",
  issuer: root,
  eku: [SERVER_AUTH],
  san: [{ type: "dns", value: "localhost" }],
});
const chain = [server.der];

Deno.test("verifyPeer() with method none accepts any certificate", async () => {
  const v = await verifyPeer({ policy: { method: "none" }, chain });
  assert.deepEqual(v, { method: "none", ok: true, reasons: [], details: [] });
});

Deno.test("verifyPeer() with method none and host checking refuses a wrong host name", async () => {
  const v = await verifyPeer({
    policy: { method: "none", checkHostname: true },
    chain,
    hostname: "127.0.0.1",
  });
  assert.equal(v.checkedHostname, true);
  assert.deepEqual(v.reasons, ["hostname-mismatch"]);
});

Deno.test("verifyPeer() with method thumbprint accepts a listed thumbprint and refuses others", async () => {
  const listed = `${"00".repeat(20)};${thumbprintOf(server.der, "sha1").toLowerCase()}`;
  assert.equal(
    (await verifyPeer({ policy: { method: "thumbprint", thumbprints: listed }, chain })).ok,
    true,
  );
  const other = await verifyPeer({
    policy: { method: "thumbprint", thumbprints: ["00".repeat(32)] },
    chain,
  });
  assert.deepEqual(other.reasons, ["thumbprint-not-accepted"]);
  assert.match(other.details[0], new RegExp(thumbprintOf(server.der, "sha256")));
});

Deno.test("verifyPeer() with method chain reports the path checker's reasons", async () => {
  const ok = await verifyPeer({
    policy: { method: "chain", anchors: [root.der] },
    chain,
    purpose: "server",
  });
  assert.equal(ok.ok, true);
  const wrong = await verifyPeer({
    policy: { method: "chain", anchors: [root.der], checkHostname: true },
    chain,
    purpose: "client",
    hostname: "pacs.example.org",
  });
  assert.deepEqual(wrong.reasons, ["wrong-usage", "hostname-mismatch"]);
});

Deno.test("verifyPeer() reports no certificate for chain and thumbprint", async () => {
  for (
    const policy of [
      { method: "chain" as const, anchors: [root.der] },
      { method: "thumbprint" as const, thumbprints: "00".repeat(20) },
    ]
  ) {
    assert.deepEqual((await verifyPeer({ policy, chain: [] })).reasons, ["no-certificate"]);
  }
});
