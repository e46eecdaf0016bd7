/**
 * What the wire tap records agrees with tshark: the ClientHello and
 * ServerHello of one connection, captured on lo by tshark and decoded by
 * both (versions, suites, SNI, groups, key shares), for Deno's client
 * against storescp +tls (TLS 1.3 and 1.2) and for echoscu +tls against a
 * Deno server using the tap in the server role.
 */
import assert from "node:assert/strict";
import net from "node:net";
import tls from "node:tls";
import { freePort } from "../src/process/mod.ts";
import { type WireObservation, WireTap } from "../src/tls/wire/mod.ts";
import { havePeer, PEER_ENV, startStorescp } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const pki = await testPki();
const file = (name: string, kind: "crt" | "key" | "chain") => pkiFile(pki, name, kind);
const required = Deno.env.get("DICOMTLS_REQUIRE_PEERS") === "1";

/** tshark can capture on lo only as root: skip loudly otherwise (fail when peers are required). */
function canCapture(): boolean {
  if (!havePeer("tshark", "tshark")) return false;
  if (Deno.uid() === 0) return true;
  const message = "tshark needs root to capture on lo: run the tshark tests as root";
  if (required) throw new Error(`DICOMTLS_REQUIRE_PEERS=1 and ${message}`);
  console.error(`\n!!! SKIPPED: ${message}\n`);
  return false;
}
const ignore = !canCapture() || !havePeer("storescp", "dcmtk") || !havePeer("echoscu", "dcmtk");

/** The hello fields both sides decode, as numbers (tshark prints them in hex). */
interface Hello {
  legacyVersion: number;
  versions: number[];
  suites: number[];
  serverName?: string;
  groups: number[];
  keyShares: number[];
}

/** What both decoders report: the first ClientHello, the ServerHello, a HelloRetryRequest's group. */
interface Hellos {
  client?: Hello;
  server?: Hello;
  retryGroup?: number;
}

// tshark fields, in the order _parseHellos reads them.
const FIELDS = [
  "tls.handshake.type",
  "tls.handshake.version",
  "tls.handshake.extensions.supported_version",
  "tls.handshake.ciphersuite",
  "tls.handshake.extensions_server_name",
  "tls.handshake.extensions_supported_group",
  "tls.handshake.extensions_key_share_group",
  "tls.handshake.extensions_key_share_selected_group",
];

/** Captures the TCP connections to `port` on lo while `run` runs; resolves tshark's decoded hellos. */
async function captured(port: number, run: () => Promise<void>): Promise<Hellos> {
  const pcap = await Deno.makeTempFile({ prefix: "dicomtls-wire-", suffix: ".pcapng" });
  const tshark = new Deno.Command("tshark", {
    args: ["-i", "lo", "-f", `tcp port ${port}`, "-w", pcap],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = tshark.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  const deadline = Date.now() + 10_000;
  // "Capturing on 'lo'" comes before the capture really runs; the file line after it.
  while (!/File: /.test(log) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    log += value;
  }
  assert.match(log, /File: /, `tshark did not start: ${log.slice(0, 300)}`);
  try {
    await run();
    await new Promise((r) => setTimeout(r, 300)); // let the last packets reach the file
  } finally {
    tshark.kill("SIGTERM");
    reader.cancel().catch(() => {});
    await tshark.status;
  }
  const out = await new Deno.Command("tshark", {
    args: [
      ...["-r", pcap, "-d", `tcp.port==${port},tls`],
      ...["-Y", "tls.handshake.type == 1 || tls.handshake.type == 2"],
      ...["-T", "fields", "-E", "separator=/t", "-E", "aggregator=,"],
      ...FIELDS.flatMap((f) => ["-e", f]),
    ],
    stdout: "piped",
    stderr: "null",
  }).output();
  await Deno.remove(pcap);
  return _parseHellos(new TextDecoder().decode(out.stdout));
}

/** tshark's lines, one per hello frame, as {@linkcode Hellos} (numbers: tshark prints hex). */
function _parseHellos(text: string): Hellos {
  const hellos: Hellos = {};
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const [type, legacy, versions, suites, sni, groups, shares, selected] = line.split("\t");
    const numbers = (s: string) => (s ? s.split(",").map(Number) : []);
    if (selected) {
      hellos.retryGroup = Number(selected); // a HelloRetryRequest
      continue;
    }
    const hello: Hello = {
      legacyVersion: Number(legacy.split(",")[0]),
      versions: numbers(versions),
      suites: numbers(suites),
      groups: numbers(groups),
      keyShares: numbers(shares),
      ...(sni ? { serverName: sni } : {}),
    };
    // The first ClientHello (a second one follows a HelloRetryRequest) and the ServerHello.
    if (type.split(",")[0] === "1") hellos.client ??= hello;
    else hellos.server = hello;
  }
  return hellos;
}

/** The same fields from our observation. */
function ours(o: WireObservation): Hellos {
  const ch = o.clientHello!;
  const sh = o.serverHello!;
  return {
    client: {
      legacyVersion: ch.legacyVersion.code,
      versions: (ch.supportedVersions ?? []).map((v) => v.code),
      suites: ch.cipherSuites.map((s) => s.code),
      groups: (ch.supportedGroups ?? []).map((g) => g.code),
      keyShares: (ch.keyShares ?? []).map((g) => g.code),
      ...(ch.serverName ? { serverName: ch.serverName } : {}),
    },
    server: {
      legacyVersion: sh.legacyVersion.code,
      versions: sh.version.code === sh.legacyVersion.code ? [] : [sh.version.code],
      suites: [sh.cipherSuite.code],
      groups: [],
      keyShares: sh.selectedGroup ? [sh.selectedGroup.code] : [],
    },
    ...(o.helloRetryRequest ? { retryGroup: o.helloRetryRequest.selectedGroup?.code } : {}),
  };
}

/** Deno's node:tls client over a tap: handshake, then end. */
async function denoClient(
  port: number,
  maxVersion: "TLSv1.2" | "TLSv1.3",
): Promise<WireObservation> {
  const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
  await new Promise((resolve) => socket.once("connect", resolve));
  const tap = new WireTap({ socket, role: "client" });
  const secure = tls.connect({
    socket: tap,
    servername: "localhost",
    cert: await Deno.readTextFile(file("client", "crt")),
    key: await Deno.readTextFile(file("client", "key")),
    rejectUnauthorized: false,
    maxVersion,
  });
  tap.attachTls(secure);
  secure.on("error", () => {});
  await new Promise((resolve) => secure.once("secureConnect", resolve));
  secure.end();
  await new Promise((resolve) => tap.once("close", resolve));
  return tap.observation();
}

for (const [version, key] of [["TLSv1.3", "server"], ["TLSv1.2", "server-rsa"]] as const) {
  Deno.test({
    name: `the tap's hellos of Deno's ${version} client to storescp +tls agree with tshark's`,
    ignore,
    async fn() {
      const scp = await startStorescp({
        cert: file(key, "chain"),
        key: file(key, "key"),
        trust: [file("root", "crt")],
      });
      try {
        let observation!: WireObservation;
        const theirs = await captured(scp.port, async () => {
          observation = await denoClient(scp.port, version);
        });
        assert.equal(observation.serverHello?.version.name, version);
        assert.equal(ours(observation).client?.serverName, "localhost");
        assert.deepEqual(ours(observation), theirs);
      } finally {
        await scp.stop();
      }
    },
  });
}

Deno.test({
  name:
    "the tap's hellos of echoscu +tls to a Deno server (tap in the server role) agree with tshark's",
  ignore,
  async fn() {
    const port = freePort();
    let tap!: WireTap;
    const closed = new Promise<void>((resolve) => {
      const server = net.createServer({ noDelay: true }, (socket) => {
        server.close();
        tap = new WireTap({ socket, role: "server" });
        const secure = new tls.TLSSocket(tap, {
          isServer: true,
          cert: Deno.readTextFileSync(file("server", "chain")),
          key: Deno.readTextFileSync(file("server", "key")),
          requestCert: true,
          rejectUnauthorized: false,
        });
        tap.attachTls(secure);
        secure.on("error", () => {});
        // No DICOM here: once echoscu's A-ASSOCIATE-RQ came, close.
        secure.once("data", () => secure.end());
        tap.once("close", () => resolve());
      });
      server.listen(port, "127.0.0.1");
    });
    const theirs = await captured(port, async () => {
      const tlsArgs = [
        "+tls",
        file("client", "key"),
        file("client", "crt"),
        "+cf",
        file("root", "crt"),
      ];
      await new Deno.Command("echoscu", {
        args: [...tlsArgs, "-aec", "DENO", "127.0.0.1", String(port)],
        env: PEER_ENV,
        stdout: "null",
        stderr: "null",
      }).output();
      await closed;
    });
    const observation = tap.observation();
    assert.equal(observation.role, "server");
    assert.deepEqual(observation.clientHello?.offeredVersions, ["TLSv1.3", "TLSv1.2"]);
    assert.equal(observation.received.records > 0 && observation.peerSpokeTls, true);
    assert.deepEqual(ours(observation), theirs);
  },
});
