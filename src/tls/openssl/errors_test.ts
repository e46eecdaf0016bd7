import assert from "node:assert/strict";
import { classifyHelperError } from "./errors.ts";

Deno.test("classifyHelperError() names the peer's alert from OpenSSL's 'alert number'", () => {
  const e = classifyHelperError({
    phase: "handshake",
    message: "error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:" +
      "../ssl/record/rec_layer_s3.c:1605:SSL alert number 70\n",
    code: "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION",
    reason: "tlsv1 alert protocol version",
  });
  assert.equal(e.kind, "peer-alert");
  assert.deepEqual(e.alertReceived, { name: "protocol_version", code: 70 });
  assert.equal(
    e.message,
    "the peer sent alert protocol_version (70) (OpenSSL: tlsv1 alert protocol version)",
  );
});

Deno.test("classifyHelperError() reports our refusal with the alert we sent, also when the peer then closed", () => {
  const e = classifyHelperError(
    {
      phase: "handshake",
      message: "no shared cipher",
      code: "ERR_SSL_NO_SHARED_CIPHER",
      reason: "no shared cipher",
    },
    {
      sent: { name: "handshake_failure", code: 40 },
      transportClosed: "the peer ended the TCP connection",
    },
  );
  assert.equal(e.kind, "refused");
  assert.equal(
    e.message,
    "the peer offered no suite we accept (OpenSSL: no shared cipher); we sent alert handshake_failure (40)",
  );
  assert.deepEqual(e.alertSent, { name: "handshake_failure", code: 40 });
});

Deno.test("classifyHelperError() tells a close without alert from a refusal", () => {
  const reset = classifyHelperError({
    phase: "handshake",
    message: "Client network socket disconnected before secure TLS connection was established",
    code: "ECONNRESET",
  }, { transportClosed: "TCP: read ECONNRESET" });
  assert.equal(reset.kind, "peer-closed");
  assert.match(reset.message, /without an alert \(TCP: read ECONNRESET\)/);
  const eof = classifyHelperError({
    phase: "handshake",
    message: "x",
    reason: "unexpected eof while reading",
  });
  assert.equal(eof.kind, "peer-closed");
});

Deno.test("classifyHelperError() makes configuration and helper problems local", () => {
  const key = classifyHelperError({
    phase: "config",
    message: "error:0A00018F:SSL routines::ee key too small",
  });
  assert.equal(key.kind, "local");
  assert.equal(key.phase, "config");
  assert.match(key.message, /^OpenSSL refused our configuration: .*ee key too small/);
  assert.equal(classifyHelperError({ phase: "helper", message: "bad frame" }).kind, "local");
});

Deno.test("classifyHelperError() keeps an alert after the handshake as after-handshake", () => {
  const e = classifyHelperError({
    phase: "after-handshake",
    message: "error:0A000418:SSL routines::tlsv1 alert unknown ca:...:SSL alert number 48",
    code: "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA",
  });
  assert.equal(e.phase, "after-handshake");
  assert.deepEqual(e.alertReceived, { name: "unknown_ca", code: 48 });
});
