/**
 * The one-hello probe against real servers: storescp +tls with its
 * profiles (+py default, +px, +pz; a client certificate required) and
 * openssl s_server, each version/suite probe compared with what
 * `openssl s_client -cipher X` / `-ciphersuites X` negotiates with a client
 * certificate. The probe presents none: the ServerHello comes first.
 */
import assert from "node:assert/strict";
import { freePort, type RunningProcess, startProcess } from "../src/process/mod.ts";
import { buildClientHello, probeHello, type ProbeResult } from "../src/tls/wire/mod.ts";
import { havePeer, PEER_ENV, startStorescp, type Storescp } from "../src/testing/peers.ts";
import { startPlainStorescp } from "../src/testing/plain_storescp.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { sClientNegotiates } from "../src/testing/probe_oracles.ts";

const pki = await testPki();
const file = (name: string, kind: "crt" | "key" | "chain") => pkiFile(pki, name, kind);
const ignore = !havePeer("storescp", "dcmtk") || !havePeer("openssl", "openssl");

type Version = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
/** A handful of versions and suites: the profiles differ on each. */
const PROBES: [Version, string][] = [
  ["TLSv1.3", "TLS_AES_128_GCM_SHA256"],
  ["TLSv1.3", "TLS_AES_256_GCM_SHA384"],
  ["TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"],
  ["TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"],
  ["TLSv1.2", "DHE-RSA-AES256-GCM-SHA384"],
  ["TLSv1.2", "ECDHE-RSA-AES128-SHA"],
  ["TLSv1.2", "AES128-SHA"],
  ["TLSv1.1", "AES128-SHA"],
  ["TLSv1", "AES128-SHA"],
  ["TLSv1", "DES-CBC3-SHA"],
];

/** What one probe says: "refused", or the version and suite (OpenSSL name) the server chose. */
function verdict(result: ProbeResult): string {
  const hello = result.serverHello ?? result.helloRetryRequest;
  if (!hello) return "refused";
  return `${hello.version.name} ${hello.cipherSuite.openssl ?? hello.cipherSuite.name}`;
}

async function ours(port: number, version: Version, suite: string): Promise<string> {
  const tls13 = version === "TLSv1.3";
  const hello = buildClientHello({
    version: tls13 ? "TLSv1.2" : version,
    ...(tls13 ? { versions: ["TLSv1.3"], keyShares: ["secp256r1"] } : {}),
    cipherSuites: [suite],
  });
  return verdict(await probeHello({ host: "127.0.0.1", port, hello, timeoutMs: 5000 }));
}

/** `openssl s_client` with a client certificate: what it negotiated, or "refused". */
async function openssl(port: number, version: Version, suite: string): Promise<string> {
  const client = { port, cert: file("client-rsa", "crt"), key: file("client-rsa", "key") };
  const negotiated = await sClientNegotiates(client, version, suite);
  return negotiated ? `${negotiated.protocol} ${negotiated.cipher}` : "refused";
}

/** Runs `fn` against storescp +tls with the RSA server key and `flags`, then stops it. */
async function withStorescp(flags: string[], fn: (scp: Storescp) => Promise<void>) {
  const scp = await startStorescp({
    cert: file("server-rsa", "chain"),
    key: file("server-rsa", "key"),
    trust: [file("root", "crt")],
    flags,
  });
  try {
    await fn(scp);
  } finally {
    await scp.stop();
  }
}

/** Runs every probe both ways against a server; returns both tables for one comparison. */
async function compare(port: number) {
  const table = { ours: [] as string[], openssl: [] as string[] };
  for (const [version, suite] of PROBES) {
    table.ours.push(`${version} ${suite}: ${await ours(port, version, suite)}`);
    table.openssl.push(`${version} ${suite}: ${await openssl(port, version, suite)}`);
  }
  return table;
}

for (const profile of ["+py", "+px", "+pz"]) {
  Deno.test({
    name: `probeHello() finds what openssl s_client finds against storescp +tls ${profile}`,
    ignore,
    async fn() {
      await withStorescp([profile], async (scp) => {
        const table = await compare(scp.port);
        assert.deepEqual(table.ours, table.openssl);
        // Sanity of the comparison itself: each profile accepts something and refuses something.
        assert.ok(table.ours.some((line) => line.endsWith("refused")));
        assert.ok(table.ours.some((line) => !line.endsWith("refused")));
      });
    },
  });
}

Deno.test({
  name: "probeHello() finds what openssl s_client finds against openssl s_server",
  ignore,
  async fn() {
    const port = freePort();
    const server: RunningProcess = await startProcess({
      command: [
        "openssl",
        "s_server",
        "-accept",
        String(port),
        "-quiet",
        "-cert",
        file("server-rsa", "crt"),
        "-key",
        file("server-rsa", "key"),
        "-cipher",
        "AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0",
        "-ciphersuites",
        "TLS_AES_256_GCM_SHA384",
      ],
      env: PEER_ENV,
      ready: { port },
    });
    try {
      const table = await compare(port);
      assert.deepEqual(table.ours, table.openssl);
      assert.ok(table.ours.includes("TLSv1 AES128-SHA: TLSv1 AES128-SHA"));
      assert.ok(table.ours.includes("TLSv1.3 TLS_AES_128_GCM_SHA256: refused"));
    } finally {
      await server.stop({ graceMs: 1000 });
    }
  },
});

Deno.test({
  name:
    "probeHello() reads storescp's TLS 1.2 answer without a client certificate: chain, DH size, certificate request",
  ignore,
  async fn() {
    await withStorescp([], async (scp) => {
      const probe = (hello: Uint8Array) =>
        probeHello({ host: "127.0.0.1", port: scp.port, hello, timeoutMs: 5000 });
      const result = await probe(
        buildClientHello({ version: "TLSv1.2", cipherSuites: ["DHE-RSA-AES256-GCM-SHA384"] }),
      );
      assert.equal(result.status, "server-hello");
      const o = result.observation;
      assert.equal(o.serverCertificates?.length, 2);
      assert.deepEqual(o.serverKeyExchange?.kind === "dhe" && o.serverKeyExchange.primeBits, 2048);
      assert.ok(o.certificateRequest, "storescp asks for a client certificate");
      // TLS 1.0 against the default profile: refused with an alert, by name.
      const refused = await probe(
        buildClientHello({ version: "TLSv1", cipherSuites: ["AES128-SHA"] }),
      );
      assert.equal(refused.status, "alert");
      assert.equal(refused.alert?.description.name, "protocol_version");
    });
  },
});

Deno.test({
  name: "probeHello() against a plain storescp: closed without a byte, no TLS",
  ignore,
  async fn() {
    const scp = await startPlainStorescp();
    try {
      const hello = buildClientHello({
        versions: ["TLSv1.3", "TLSv1.2"],
        cipherSuites: [0x1301, 0xc02f],
      });
      const result = await probeHello({
        host: "127.0.0.1",
        port: scp.port,
        hello,
        timeoutMs: 5000,
      });
      assert.equal(result.status, "closed");
      assert.equal(result.peerSent, "nothing");
      assert.equal(result.observation.peerSpokeTls, false);
    } finally {
      await scp.stop();
    }
  },
});
