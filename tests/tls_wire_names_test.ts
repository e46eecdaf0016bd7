/**
 * The cipher suite table against the installed OpenSSL: every suite it
 * knows (all versions, security level 0) is in the table under the same
 * code and OpenSSL name, with the same protocol family.
 */
import assert from "node:assert/strict";
import { cipherSuite } from "../src/tls/wire/mod.ts";
import { havePeer } from "../src/testing/peers.ts";

Deno.test({
  name:
    "every suite `openssl ciphers` knows is named by cipherSuite(), code and OpenSSL name alike",
  ignore: !havePeer("openssl", "openssl"),
  async fn() {
    const out = await new Deno.Command("openssl", {
      args: ["ciphers", "-V", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
      stdout: "piped",
    }).output();
    // "          0x13,0x02 - TLS_AES_256_GCM_SHA384         TLSv1.3 Kx=any  Au=any  Enc=AESGCM(256) Mac=AEAD"
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
    assert.ok(lines.length > 100, `openssl lists ${lines.length} suites`);
    for (const line of lines) {
      const [bytes, , name, version, kx] = line.trim().split(/\s+/);
      const code = parseInt(bytes.replace(/0x|,/g, ""), 16);
      const suite = cipherSuite(code);
      assert.ok(suite, `${bytes} ${name} is in the table`);
      assert.equal(suite.openssl, name, `${bytes}`);
      assert.equal(cipherSuite(name)?.code, code, `${name} by name`);
      assert.equal(suite.tls13, version === "TLSv1.3", `${name} is a TLS 1.3 suite`);
      assert.equal(suite.kx, kx.replace("Kx=", ""), `${name} key exchange`);
    }
  },
});
