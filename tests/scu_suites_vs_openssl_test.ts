/**
 * For each TLS 1.2 suite OpenSSL knows, a conversation of ours offering
 * only that suite gets the same answer (the server chose it, or refused)
 * as `openssl s_client -cipher X` against the same server: storescp's
 * default profile (+py), its extended one (+pz) and Orthanc (RSA keys).
 */
import assert from "node:assert/strict";
import { connectTls, loadCredentials } from "../src/tls/mod.ts";
import { cipherSuite } from "../src/tls/wire/mod.ts";
import { havePeer, startOrthanc, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { sClientNegotiates } from "../src/testing/probe_oracles.ts";

const ignore = !havePeer("storescp", "dcmtk") || !havePeer("Orthanc", "orthanc");
const pki = ignore ? undefined : await testPki();
const file = (name: string, ext: "crt" | "key" | "chain") => pkiFile(pki!, name, ext);

/** The TLS 1.2 suites of the local OpenSSL at security level 0, by OpenSSL name. */
async function opensslSuites(): Promise<string[]> {
  const out = await new Deno.Command("openssl", {
    args: ["ciphers", "-s", "-tls1_2", "ALL:@SECLEVEL=0"],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).trim().split(":")
    .filter((name) => !cipherSuite(name)?.tls13 && !/PSK|SRP/.test(name));
}

/** Whether `openssl s_client` offering only `suite` at TLS 1.2 got it chosen. */
async function sClientAccepts(port: number, suite: string): Promise<boolean> {
  const client = { port, cert: file("client-rsa", "crt"), key: file("client-rsa", "key") };
  return (await sClientNegotiates(client, "TLSv1.2", suite))?.cipher === suite;
}

async function compare(port: number, where: string) {
  const credentials = await loadCredentials({
    cert: file("client-rsa", "crt"),
    key: file("client-rsa", "key"),
  });
  const differ: string[] = [];
  let accepted = 0;
  const suites = await opensslSuites();
  assert.ok(suites.length > 40, `only ${suites.length} suites`);
  for (const suite of suites) {
    const c = await connectTls({
      host: "127.0.0.1",
      port,
      credentials,
      ciphers: [suite],
      maxVersion: "TLSv1.2",
      timeoutMs: 5000,
    });
    if (c.ok) c.socket.destroy();
    const ours = c.wire?.().serverHello?.cipherSuite.openssl === suite;
    const theirs = await sClientAccepts(port, suite);
    if (ours !== theirs) differ.push(`${suite}: ours ${ours}, s_client ${theirs}`);
    if (ours) accepted++;
  }
  assert.deepEqual(differ, [], where);
  assert.ok(accepted > 0, `${where} accepted no suite at all`);
}

for (const profile of ["+py", "+pz"]) {
  Deno.test({
    name: `each TLS 1.2 suite alone gets the same answer from storescp ${profile} as from s_client`,
    ignore,
    async fn() {
      const scp = await startStorescp({
        cert: file("server-rsa", "chain"),
        key: file("server-rsa", "key"),
        trust: [file("root", "crt")],
        flags: [profile],
      });
      try {
        await compare(scp.port, `storescp ${profile}`);
      } finally {
        await scp.stop();
      }
    },
  });
}

Deno.test({
  name: "each TLS 1.2 suite alone gets the same answer from Orthanc as from s_client",
  ignore,
  async fn() {
    const orthanc = await startOrthanc({
      cert: file("server-rsa", "chain"),
      key: file("server-rsa", "key"),
      trust: file("root", "crt"),
    });
    try {
      await compare(orthanc.port, "Orthanc");
    } finally {
      await orthanc.stop();
    }
  },
});
