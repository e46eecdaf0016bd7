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
import { canCapture, captured, clientHelloFields, type Hellos } from "../src/testing/tshark.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const pki = await testPki();
const file = (name: string, kind: "crt" | "key" | "chain") => pkiFile(pki, name, kind);
const ignore = !canCapture() || !havePeer("storescp", "dcmtk") || !havePeer("echoscu", "dcmtk");

/** The same fields from our observation. */
function ours(o: WireObservation): Hellos {
  const ch = o.clientHello!;
  const sh = o.serverHello!;
  return {
    client: clientHelloFields(ch),
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
