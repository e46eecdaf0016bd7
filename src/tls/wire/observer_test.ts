import assert from "node:assert/strict";
import { WireObserver } from "./observer.ts";
import { fixture, replay } from "./_test_fixtures.ts";

Deno.test("WireObserver sees a TLS 1.3 handshake up to the ServerHello, then only encrypted records", () => {
  const o = replay("echoscu_storescp_tls13", { role: "client" });
  assert.equal(o.peerSpokeTls, true);
  assert.equal(o.serverHello?.version.name, "TLSv1.3");
  assert.equal(o.tls13Encrypted, true);
  assert.equal(o.serverCertificates, undefined, "encrypted in TLS 1.3");
  assert.equal(o.certificateRequest, undefined, "encrypted in TLS 1.3");
  assert.deepEqual(o.alerts, []);
  const late = o.records.filter((r) => r.direction === "received").slice(2);
  assert.ok(late.every((r) => r.encrypted && r.contentType === "application_data"));
  assert.equal(o.received.encryptedRecords, late.length);
  assert.deepEqual(o.errors, []);
});

Deno.test("WireObserver reads a TLS 1.2 handshake: chains, key exchange, certificate request", () => {
  const o = replay("openssl_storescp_dhe_tls12", { role: "client", chunk: 100 });
  assert.equal(o.serverHello?.cipherSuite.name, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
  assert.equal(o.serverCertificates?.length, 2);
  assert.equal(o.clientCertificates?.length, 2);
  assert.deepEqual(o.serverKeyExchange && o.serverKeyExchange.kind, "dhe");
  assert.equal(o.serverKeyExchange?.kind === "dhe" && o.serverKeyExchange.primeBits, 2048);
  assert.ok(o.certificateRequest);
  assert.equal(o.tls13Encrypted, false);
  // After each side's ChangeCipherSpec: the Finished and the close_notify are encrypted.
  assert.equal(o.sent.changeCipherSpec && o.received.changeCipherSpec, true);
  assert.equal(o.sent.encryptedAlerts, 1);
  assert.deepEqual(o.alerts, []);
});

Deno.test("WireObserver names the server's plaintext alert refusing an untrusted client (TLS 1.2)", () => {
  const o = replay("openssl_storescp_untrusted_tls12", { role: "client" });
  assert.deepEqual(o.alerts.map((a) => [a.direction, a.level, a.description.name]), [
    ["received", "fatal", "unknown_ca"],
  ]);
  const alertRecord = o.records.find((r) => r.alerts);
  assert.equal(alertRecord?.encrypted, false);
});

Deno.test("WireObserver in the server role sees plain DICOM from a client that should speak TLS", () => {
  const o = replay("echoscu_plain_to_tls_port", { role: "server" });
  assert.equal(o.peerSpokeTls, false);
  assert.equal(o.received.notTls, "not a TLS record: content type 1");
  assert.equal(o.peerFirstBytes?.kind, "dicom-pdu");
  assert.equal(o.peerFirstBytes?.pdu?.callingAe, "PLAINSCU");
  assert.equal(o.received.records, 0);
});

Deno.test("WireObserver: a plain server that closes without a byte leaves peerSpokeTls false", () => {
  const observer = new WireObserver({ role: "client" });
  observer.sent(fixture("openssl_to_plain_storescp").client);
  observer.peerClosed("fin");
  observer.socketClosed();
  const o = observer.observation();
  assert.equal(o.peerSpokeTls, false);
  assert.equal(o.received.bytes, 0);
  assert.equal(o.received.firstBytes, "");
  assert.equal(o.peerFirstBytes, undefined);
  assert.equal(o.close.first, "peer");
  assert.equal(o.close.peer?.how, "fin");
  assert.equal(o.clientHello?.offeredVersions[0], "TLSv1.3");
});

Deno.test("WireObserver lists at most maxRecords records and counts the rest", () => {
  const observer = new WireObserver({ role: "client", maxRecords: 3 });
  observer.received(new Uint8Array(Array.from({ length: 10 }, () => [23, 3, 3, 0, 1, 0]).flat()));
  const o = observer.observation();
  assert.equal(o.records.length, 3);
  assert.equal(o.recordsOmitted, 7);
  assert.equal(o.received.records, 10);
  assert.equal(o.peerSpokeTls, true);
});

Deno.test("WireObserver gives the same observation whatever the chunk sizes", () => {
  const whole = replay("deno_storescp_tls12", { role: "client" });
  const bytewise = replay("deno_storescp_tls12", { role: "client", chunk: 1 });
  const strip = (o: typeof whole) => ({
    ...o,
    durationMs: 0,
    records: o.records.map((r) => ({ ...r, atMs: 0 })),
    sent: { ...o.sent, firstAtMs: 0 },
    received: { ...o.received, firstAtMs: 0 },
  });
  assert.deepEqual(strip(bytewise), strip(whole));
});

Deno.test("WireObserver's observation survives JSON", () => {
  const o = replay("openssl_storescp_px_tls10", { role: "client" });
  assert.deepEqual(JSON.parse(JSON.stringify(o)), o);
});

Deno.test("a snapshot stays as it was taken while the observer goes on", () => {
  const { client, server } = fixture("openssl_storescp_untrusted_tls12");
  const observer = new WireObserver({ role: "client" });
  observer.sent(client);
  const before = observer.observation();
  const copy = JSON.parse(JSON.stringify(before));
  observer.received(server);
  observer.peerClosed("fin");
  observer.weClosed("end");
  observer.socketClosed();
  const after = observer.observation();
  assert.deepEqual(before, copy);
  assert.ok(after.records.length > before.records.length);
  assert.ok(after.alerts.length > 0 && after.received.bytes > 0 && after.close.peer);
});
