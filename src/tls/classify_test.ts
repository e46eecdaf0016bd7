import assert from "node:assert/strict";
import { classifyTlsError } from "./classify.ts";
import { TLS_ALERTS, tlsAlert } from "./alerts.ts";

function err(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

Deno.test("classifyTlsError() reads the alert from rustls's message", () => {
  const c = classifyTlsError(
    err("received fatal alert: CertificateExpired", "ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED"),
  );
  assert.deepEqual(c.alert, { name: "certificate_expired", code: 45 });
  assert.equal(c.closedWithoutAlert, undefined);
});

Deno.test("classifyTlsError() maps the alerts storescp sends to RFC names and codes", () => {
  const seen = ["UnknownCA", "CertificateRequired", "HandshakeFailure", "ProtocolVersion"].map(
    (n) => classifyTlsError(err(`received fatal alert: ${n}`)).alert,
  );
  assert.deepEqual(seen, [
    { name: "unknown_ca", code: 48 },
    { name: "certificate_required", code: 116 },
    { name: "handshake_failure", code: 40 },
    { name: "protocol_version", code: 70 },
  ]);
});

Deno.test("classifyTlsError() reads OpenSSL alert numbers, not Deno's error codes", () => {
  assert.deepEqual(classifyTlsError(err("ssl3_read_bytes: SSL alert number 42")).alert, {
    name: "bad_certificate",
    code: 42,
  });
  // Deno's code for rustls's own refusal of an application_data record in the handshake (measured).
  const ours = err(
    "received unexpected message: got ApplicationData when expecting Handshake",
    "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE",
  );
  assert.equal(classifyTlsError(ours).alert, undefined);
  assert.deepEqual(classifyTlsError(err("received fatal alert: Unknown(200)")).alert, {
    name: "unknown_200",
    code: 200,
  });
});

Deno.test("classifyTlsError() reports a close during the handshake as closed without alert", () => {
  const c = classifyTlsError(
    err(
      "Client network socket disconnected before secure TLS connection was established",
      "ECONNRESET",
    ),
  );
  assert.equal(c.closedWithoutAlert, true);
  assert.equal(c.alert, undefined);
});

Deno.test("classifyTlsError() keeps other errors as a message only", () => {
  const c = classifyTlsError(
    err("received corrupt message of type InvalidContentType", "ERR_SSL_WRONG_VERSION_NUMBER"),
  );
  assert.deepEqual(c, {
    message: "received corrupt message of type InvalidContentType",
    code: "ERR_SSL_WRONG_VERSION_NUMBER",
  });
});

Deno.test("tlsAlert() finds every RFC alert by its rustls-style CamelCase name", () => {
  for (const a of TLS_ALERTS) {
    const camel = a.name.split("_").map((w) => w[0].toUpperCase() + w.slice(1)).join("");
    assert.deepEqual(tlsAlert(camel), a, camel);
  }
  assert.deepEqual(tlsAlert("UnrecognisedName"), { name: "unrecognized_name", code: 112 });
  assert.equal(tlsAlert("NoSuchAlert"), undefined);
});

Deno.test("classifyTlsError() says in our words that rustls refused a handshake message over 64 KiB, without Deno's OpenSSL text", () => {
  // Measured: Deno's rustls client, a peer certificate of 100 KB (5,000 names).
  const c = classifyTlsError(
    err(
      "received corrupt message of type HandshakePayloadTooLarge (SSL routines:ssl3_get_record:wrong version number)",
      "ERR_SSL_WRONG_VERSION_NUMBER",
    ),
  );
  assert.match(
    c.message,
    /^a handshake message of the peer .* larger than the 64 KiB the rustls stack accepts \(hint: .*--tls-stack openssl/,
  );
  assert.doesNotMatch(c.message, /SSL routines|wrong version/);
  const other = classifyTlsError(
    err(
      "received corrupt message of type InvalidContentType (SSL routines:ssl3_get_record:wrong version number)",
    ),
  );
  assert.equal(other.message, "received corrupt message of type InvalidContentType");
});
