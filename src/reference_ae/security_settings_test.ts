import assert from "node:assert/strict";
import { chooseTlsStack, tlsChoice } from "../tls/mod.ts";
import { securitySettingsOf } from "./security_settings.ts";

function hintFor(options: Parameters<typeof securitySettingsOf>[1]): string | undefined {
  const settings = securitySettingsOf({ tlsStack: "rustls", tlsMax: "1.0" }, options);
  try {
    chooseTlsStack(tlsChoice(settings.tls!));
  } catch (e) {
    return (e as { hint?: string }).hint;
  }
}

Deno.test("securitySettingsOf() has a rustls refusal hint ask for OpenSSL as the user would there: flag, config key or suite key", () => {
  // It said "use tls: { stack: openssl }", a suite's key, on the command line too.
  const flag = hintFor({ spell: (k) => k === "tlsStack" ? "--tls-stack" : `--${k}` });
  assert.match(flag ?? "", /^use --tls-stack openssl, /);
  assert.match(hintFor({}) ?? "", /^use tlsStack: openssl in security:, /);
  assert.throws(
    () => chooseTlsStack({ stack: "rustls", maxVersion: "TLSv1" }),
    /hint: use tls: \{ stack: openssl \}, /,
  );
});
