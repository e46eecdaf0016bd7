import assert from "node:assert/strict";
import { makeCert } from "../testing/certificates.ts";
import { credentialsFromPem } from "./credentials.ts";
import { chooseTlsStack } from "./stack.ts";

Deno.test("chooseTlsStack() takes OpenSSL for a certificate over 64 KiB, which rustls cannot present", async () => {
  // 5,000 names: some 74 KB of DER. rustls took it, then failed every handshake.
  const san = Array.from(
    { length: 5000 },
    (_, i) => ({ type: "dns" as const, value: `h${i}.example` }),
  );
  const big = await makeCert({ name: "big", san });
  const credentials = credentialsFromPem({ cert: big.certPem, key: big.keyPem, source: "big.crt" });
  const { stack, reason } = chooseTlsStack({ credentials });
  assert.equal(stack, "openssl");
  assert.match(
    reason ?? "",
    /big\.crt: the certificate is [\d,]+ bytes, over the 65,539 rustls reads/,
  );
  // A certificate of usual size stays with rustls.
  const small = await makeCert({ name: "small" });
  const usual = credentialsFromPem({ cert: small.certPem, key: small.keyPem, source: "s.crt" });
  assert.equal(chooseTlsStack({ credentials: usual }).stack, "rustls");
});
