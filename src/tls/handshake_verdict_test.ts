import assert from "node:assert/strict";
import { alertRecord, serverHelloRecord } from "../testing/tls_records.ts";
import { acceptVerdict, handshakeVerdict } from "./handshake_verdict.ts";
import { OpenSslError } from "./openssl/mod.ts";
import { WireObserver } from "./wire/observer.ts";
import { fixture } from "./wire/_test_fixtures.ts";

// A ServerHello that chooses compression 1: both our stacks refuse it with illegal_parameter (47).
const BAD_HELLO = serverHelloRecord({ suite: 0xc02f, compression: 1 });
const OURS = alertRecord(2, 47);
const THEIRS = alertRecord(2, 40);

/** A client's wire: our ClientHello, then `steps` in order, then the peer's FIN. */
function wire(...steps: ["sent" | "received", Uint8Array][]) {
  return observe("client", steps);
}

/** The wire of `role`: the ClientHello, then `steps` in order, then the peer's FIN. */
function observe(role: "client" | "server", steps: ["sent" | "received", Uint8Array][]) {
  const observer = new WireObserver({ role });
  observer[role === "client" ? "sent" : "received"](fixture("openssl_to_plain_storescp").client);
  for (const [direction, bytes] of steps) observer[direction](bytes);
  observer.peerClosed("fin");
  return observer.observation();
}

const rustlsRefusal = new Error("peer misbehaved: SelectedUnofferedCompression");
// What the OpenSSL stack reported before its alerts were ordered: the peer's later alert as its own.
const opensslWithLateAlert = new OpenSslError(
  "the peer sent alert handshake_failure (40) (OpenSSL: unsupported compression algorithm)",
  {
    kind: "peer-alert",
    phase: "handshake",
    alertReceived: { name: "handshake_failure", code: 40 },
  },
);

for (
  const [stack, error] of [["rustls", rustlsRefusal], ["OpenSSL", opensslWithLateAlert]] as const
) {
  Deno.test(`our alert first, then the peer's, is our stack's refusal, not the peer's (${stack})`, () => {
    const tls = handshakeVerdict({
      failure: { kind: "error", error },
      wire: wire(["received", BAD_HELLO], ["sent", OURS], ["received", THEIRS]),
      clientCertificate: false,
    });
    assert.equal(tls.status, "error");
    assert.equal(tls.alert, undefined);
    assert.deepEqual(tls.alertSent, { name: "illegal_parameter", code: 47 });
    assert.match(tls.error ?? "", /^our TLS stack refused the peer's answer: /);
  });
}

Deno.test("the peer's alert first, then ours, stays the peer's refusal", () => {
  const tls = handshakeVerdict({
    failure: { kind: "error", error: rustlsRefusal },
    wire: wire(["received", new Uint8Array([...BAD_HELLO, ...THEIRS])], ["sent", OURS]),
    clientCertificate: false,
  });
  assert.equal(tls.status, "refused-by-peer");
  assert.deepEqual(tls.alert, { name: "handshake_failure", code: 40 });
  assert.deepEqual(tls.alertSent, { name: "illegal_parameter", code: 47 });
  assert.equal(tls.after, "server-hello");
});

Deno.test("inbound: our alert first, then the client's, is our refusal, not the client's", () => {
  const tls = acceptVerdict({
    error: new Error("peer is incompatible: NoCipherSuitesInCommon"),
    wire: observe("server", [["sent", alertRecord(2, 40)], ["received", alertRecord(2, 48)]]),
  });
  assert.equal(tls.status, "refused-by-us");
  assert.equal(tls.alert, undefined);
  assert.deepEqual(tls.alertSent, { name: "handshake_failure", code: 40 });
});

Deno.test("inbound: the client's alert first, then ours, stays the client's refusal", () => {
  const tls = acceptVerdict({
    error: new Error("peer is incompatible: NoCipherSuitesInCommon"),
    wire: observe("server", [["received", alertRecord(2, 48)], ["sent", alertRecord(2, 40)]]),
  });
  assert.equal(tls.status, "refused-by-peer");
  assert.deepEqual(tls.alert, { name: "unknown_ca", code: 48 });
});
