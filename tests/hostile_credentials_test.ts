/**
 * PKCS#12 files a careless or hostile user hands to `--p12`: one that asks
 * for 2^31 - 1 key derivation iterations, a key with hundreds of chain
 * certificates, several keys of which the first is not the certificate's.
 * Each is loaded or refused with one line before any connection, in seconds.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// @ts-types="npm:@types/node-forge@^1.3.11"
import forge from "node-forge";
import { freePort } from "../src/process/mod.ts";
import { makeCert, type TestCert } from "../src/testing/certificates.ts";
import { runDicomtls } from "../src/testing/cli.ts";

// Far longer than loading any of them takes; a hang ends here as a failure.
const GUARD_MS = 30_000;
const PASSWORD = "pw";

function der(asn1: forge.asn1.Asn1): Uint8Array {
  return Uint8Array.from(forge.asn1.toDer(asn1).getBytes(), (c) => c.charCodeAt(0));
}

// The PFX of `keys` and `certs` (in that order, each in its own bag), with its MAC.
function pkcs12(keys: TestCert[], certs: TestCert[]): forge.asn1.Asn1 {
  const pfx = (key: TestCert | undefined, list: TestCert[]) =>
    forge.pkcs12.toPkcs12Asn1(
      key ? forge.pki.privateKeyFromPem(key.keyPem) : null,
      // forge takes no certificate as null, not as [].
      list.length
        ? list.map((c) => forge.pki.certificateFromPem(c.certPem))
        : null as unknown as forge.pki.Certificate,
      PASSWORD,
      { algorithm: "3des" },
    );
  if (keys.length <= 1) return pfx(keys[0], certs);
  // forge writes one key per file: the other keys' bags go into the first file's AuthenticatedSafe.
  const safeOf = (p: forge.asn1.Asn1) => {
    const content = (p.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[];
    const octet = (content[1].value as forge.asn1.Asn1[])[0];
    return { octet, safe: forge.asn1.fromDer(octet.value as string) };
  };
  const first = pfx(keys[0], certs);
  const { octet, safe } = safeOf(first);
  for (const k of keys.slice(1)) {
    (safe.value as forge.asn1.Asn1[]).push(...safeOf(pfx(k, [])).safe.value as forge.asn1.Asn1[]);
  }
  octet.value = forge.asn1.toDer(safe).getBytes();
  // The MAC no longer matches: leave it out (PKCS#12 makes it optional).
  (first.value as forge.asn1.Asn1[]).length = 2;
  return first;
}

// `dicomtls echo` with `--p12 file` to a port where nothing listens: credentials load first.
function echoWith(file: string) {
  return runDicomtls([
    "echo",
    `127.0.0.1:${freePort()}`,
    "--called",
    "X",
    "--verify",
    "none",
    "--p12",
    file,
    "--password",
    PASSWORD,
  ], { signal: AbortSignal.timeout(GUARD_MS) });
}

Deno.test("a PKCS#12 file is refused before its 2^31 - 1 iterations, and loaded with hundreds of chain certificates or its key second", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-hostile-p12-" });
  try {
    const leaf = await makeCert({ name: "leaf", rsaBits: 2048 });
    const other = await makeCert({ name: "other", rsaBits: 2048 });
    const write = async (name: string, asn1: forge.asn1.Asn1) => {
      await Deno.writeFile(join(dir, name), der(asn1));
      return join(dir, name);
    };
    // The MAC's count: forge would compute it for hours before seeing the password is right.
    const slow = pkcs12([leaf], [leaf]);
    const macData = (slow.value as forge.asn1.Asn1[])[2].value as forge.asn1.Asn1[];
    macData[2].value = forge.util.hexToBytes("7fffffff");
    const iterations = await echoWith(await write("slow.p12", slow));
    assert.equal(iterations.code, 2, iterations.stderr);
    assert.match(
      iterations.stderr,
      /^dicomtls echo: .*slow\.p12: cannot open PKCS#12 file: it asks for 2,147,483,647 key derivation iterations, more than the 3,000,000 .* \(hint: export it again/,
    );
    assert.equal(iterations.stderr.trimEnd().split("\n").length, 1, iterations.stderr);

    // Some 200 KB: the bytes were spread into one call ("Maximum call stack size exceeded").
    const chain = await write("chain.p12", pkcs12([leaf], [leaf, ...Array(250).fill(other)]));
    const long = await echoWith(chain);
    assert.equal(long.code, 1, long.stderr); // loaded: the connection is refused
    assert.match(long.stdout, /refused/, long.stdout);

    // The first key is not the certificate's: it was "private key does not belong to the certificate".
    const second = await echoWith(await write("second.p12", pkcs12([other, leaf], [leaf])));
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stdout, /refused/, second.stdout);
    const none = await echoWith(await write("none.p12", pkcs12([other, other], [leaf])));
    assert.equal(none.code, 2, none.stderr);
    assert.match(
      none.stderr,
      /none\.p12: none of the 2 private keys of the PKCS#12 file belongs to one of its 1 certificate\(s\) \(hint: /,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve with a certificate over 64 KiB serves through OpenSSL, and refuses rustls when asked for it in one line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-hostile-cert-" });
  try {
    // 5,000 names: some 74 KB. rustls took it, then failed every handshake as "the client
    // closed without sending a byte"; asked for, its refusal had serve's hint about the port too.
    const san = Array.from(
      { length: 5000 },
      (_, i) => ({ type: "dns" as const, value: `h${i}.example` }),
    );
    const big = await makeCert({ name: "big", san });
    await Deno.writeTextFile(join(dir, "big.crt"), big.certPem);
    await Deno.writeTextFile(join(dir, "big.key"), big.keyPem);
    const r = await runDicomtls([
      "serve",
      "--port",
      "0",
      "--cert",
      join(dir, "big.crt"),
      "--key",
      join(dir, "big.key"),
      "--verify",
      "none",
      "--tls-stack",
      "rustls",
    ], { signal: AbortSignal.timeout(GUARD_MS) });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^dicomtls serve: the rustls stack cannot do what is asked: .*big\.crt: the certificate is [\d,]+ bytes, over the 65,539 rustls reads\) \(hint: use --tls-stack openssl, [^()]*\)\n$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
