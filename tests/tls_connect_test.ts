/**
 * connectTls against DCMTK storescp with the standard test PKI, and against
 * hostile loopback peers: what each refusal looks like, stage by stage.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { join } from "node:path";
import type { TlsOutcome } from "../src/outcome/mod.ts";
import { freePort } from "../src/process/mod.ts";
import {
  classifyTlsError,
  connectTls,
  type ConnectTlsOptions,
  loadCredentials,
  type TlsVersion,
} from "../src/tls/mod.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { startFloodingTlsServer } from "../src/testing/hostile_peers.ts";
import { testPki } from "../src/testing/pki.ts";

const pki = await testPki();
const file = (name: string) => join(pki.dir, name);
const credentials = (name: string) =>
  loadCredentials({ cert: file(`${name}.crt`), key: file(`${name}.key`) });
const noStorescp = !havePeer("storescp", "dcmtk");

/** A minimal A-ASSOCIATE-RQ (PS3.8 9.3.2) for Verification: enough to see storescp accept us. */
function associateRq(): Uint8Array {
  const text = (s: string) => new TextEncoder().encode(s);
  const item = (type: number, body: Uint8Array) =>
    new Uint8Array([type, 0, body.length >> 8, body.length & 0xff, ...body]);
  const ae = (s: string) => text(s.padEnd(16, " "));
  const context = item(
    0x20,
    new Uint8Array([
      1,
      0,
      0,
      0,
      ...item(0x30, text("1.2.840.10008.1.1")),
      ...item(0x40, text("1.2.840.10008.1.2")),
    ]),
  );
  const user = item(
    0x50,
    new Uint8Array([
      ...item(0x51, new Uint8Array([0, 0, 0x40, 0])),
      ...item(0x52, text("1.2.3.4")),
    ]),
  );
  const body = new Uint8Array([
    0,
    1,
    0,
    0,
    ...ae("STORESCP"),
    ...ae("DICOMTLS"),
    ...new Uint8Array(32),
    ...item(0x10, text("1.2.840.10008.3.1.1.1")),
    ...context,
    ...user,
  ]);
  const n = body.length;
  return new Uint8Array([1, 0, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, ...body]);
}

/**
 * Connects, sends an A-ASSOCIATE-RQ and returns what the TLS stage finally
 * says: as the engine sees it, a TLS 1.3 refusal of our certificate arrives
 * on the first read, after connectTls resolved.
 */
async function tryAssociate(
  options: ConnectTlsOptions,
): Promise<TlsOutcome & { firstPduType?: number }> {
  const c = await connectTls(options);
  if (!c.ok) return c.tls ?? { status: "error", error: c.tcp.status };
  const socket = c.socket;
  const result = await new Promise<TlsOutcome & { firstPduType?: number }>((resolve) => {
    socket.once("data", (d: Uint8Array) => resolve({ ...c.tls, firstPduType: d[0] }));
    socket.once("error", (e: Error) => {
      const k = classifyTlsError(e);
      resolve({
        ...c.tls,
        status: "refused-by-peer",
        alert: k.alert,
        closedWithoutAlert: k.closedWithoutAlert,
      });
    });
    socket.once(
      "close",
      () => resolve({ ...c.tls, status: "refused-by-peer", closedWithoutAlert: true }),
    );
    socket.write(associateRq());
  });
  socket.destroy();
  return result;
}

async function withStorescp<T>(
  options: { server?: string; flags?: string[] },
  fn: (port: number) => Promise<T>,
): Promise<T> {
  const server = options.server ?? "server";
  const scp = await startStorescp({
    cert: file(`${server}.chain.pem`),
    key: file(`${server}.key`),
    trust: [file("root.crt")],
    flags: options.flags,
  });
  try {
    return await fn(scp.port);
  } finally {
    await scp.stop();
  }
}

const base = (port: number, maxVersion?: TlsVersion) => ({
  host: "127.0.0.1",
  port,
  timeoutMs: 5000,
  maxVersion,
});

Deno.test({
  name:
    "connectTls() with a trusted client certificate gets a TLS 1.3 connection storescp associates on",
  ignore: noStorescp,
  fn: () =>
    withStorescp({}, async (port) => {
      const r = await tryAssociate({
        ...base(port),
        credentials: await credentials("client"),
        policy: {
          method: "chain",
          anchors: [Deno.readFileSync(file("root.der"))],
          checkHostname: true,
        },
      });
      assert.equal(r.status, "established");
      assert.equal(r.protocol, "TLSv1.3");
      assert.equal(r.firstPduType, 0x02, "A-ASSOCIATE-AC");
      assert.equal(r.peer?.subject, "CN=localhost, O=Example Hospital");
      assert.equal(r.peer?.chain.length, 2);
      assert.deepEqual(r.verification?.reasons, []);
      assert.equal(r.clientCertificate, true);
    }),
});

for (
  const [client, alert] of [
    ["client-expired", { name: "certificate_expired", code: 45 }],
    ["client-untrusted", { name: "unknown_ca", code: 48 }],
    ["client-self-signed", { name: "unknown_ca", code: 48 }],
    [undefined, { name: "certificate_required", code: 116 }],
  ] as const
) {
  Deno.test({
    name: `storescp refuses ${
      client ?? "no client certificate"
    } over TLS 1.3 with alert ${alert.name}`,
    ignore: noStorescp,
    fn: () =>
      withStorescp({}, async (port) => {
        const r = await tryAssociate({
          ...base(port),
          credentials: client && await credentials(client),
        });
        assert.equal(r.status, "refused-by-peer");
        assert.deepEqual(r.alert, alert);
        assert.equal(r.firstPduType, undefined);
      }),
  });
}

for (
  const [client, alert] of [
    ["client-expired", { name: "certificate_expired", code: 45 }],
    ["client-untrusted", { name: "unknown_ca", code: 48 }],
    [undefined, { name: "handshake_failure", code: 40 }],
  ] as const
) {
  Deno.test({
    name: `storescp refuses ${
      client ?? "no client certificate"
    } over TLS 1.2 during the handshake with ${alert.name}`,
    ignore: noStorescp,
    // DCMTK's TLS 1.2 suites are ECDHE-RSA only: an RSA server key is needed.
    fn: () =>
      withStorescp({ server: "server-rsa" }, async (port) => {
        const c = await connectTls({
          ...base(port, "TLSv1.2"),
          credentials: client && await credentials(client),
        });
        assert.equal(c.ok, false);
        assert.equal(!c.ok && c.stage, "tls");
        assert.equal(c.tls?.status, "refused-by-peer");
        assert.deepEqual(c.tls?.alert, alert);
      }),
  });
}

Deno.test({
  name: "connectTls() over TLS 1.2 with a trusted client certificate gets storescp to associate",
  ignore: noStorescp,
  fn: () =>
    withStorescp({ server: "server-rsa" }, async (port) => {
      const r = await tryAssociate({
        ...base(port, "TLSv1.2"),
        credentials: await credentials("client"),
      });
      assert.equal(r.protocol, "TLSv1.2");
      assert.match(r.cipher ?? "", /^TLS_ECDHE_RSA_WITH_AES_(128|256)_GCM_SHA(256|384)$/);
      assert.equal(r.firstPduType, 0x02);
    }),
});

Deno.test({
  name: "storescp with -ic accepts the untrusted client certificate (no false refusal)",
  ignore: noStorescp,
  fn: () =>
    withStorescp({ flags: ["-ic"] }, async (port) => {
      const r = await tryAssociate({
        ...base(port),
        credentials: await credentials("client-untrusted"),
      });
      assert.equal(r.status, "established");
      assert.equal(r.firstPduType, 0x02);
    }),
});

Deno.test({
  name: "connectTls() refuses storescp's expired server certificate under a chain policy",
  ignore: noStorescp,
  fn: () =>
    withStorescp({ server: "server-expired" }, async (port) => {
      const c = await connectTls({
        ...base(port),
        credentials: await credentials("client"),
        policy: { method: "chain", anchors: [Deno.readFileSync(file("root.der"))] },
      });
      assert.equal(c.ok, false);
      assert.equal(c.tls?.status, "refused-by-us");
      assert.deepEqual(c.tls?.verification?.reasons, ["expired"]);
      assert.equal(c.tls?.peer?.subject, "CN=localhost, O=Example Hospital");
    }),
});

/** A loopback server whose every connection gets `onConnection`; closed with its sockets afterwards. */
async function withServer(
  onConnection: (s: net.Socket) => void,
  fn: (port: number) => Promise<void>,
) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    await fn((server.address() as net.AddressInfo).port);
  } finally {
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => server.close(r));
  }
}

Deno.test("connectTls() times out within timeoutMs on a port that accepts and never speaks", async () => {
  await withServer(() => {}, async (port) => {
    const c = await connectTls({ host: "127.0.0.1", port, timeoutMs: 300 });
    assert.equal(c.ok, false);
    assert.equal(c.tcp.status, "connected");
    assert.equal(c.tls?.status, "timeout");
    assert.ok(c.timing.tcpMs + c.timing.tlsMs < 1300, `took ${c.timing.tlsMs} ms`);
  });
});

Deno.test("connectTls() reports a closed port as refused at the TCP stage", async () => {
  const c = await connectTls({ host: "127.0.0.1", port: freePort(), timeoutMs: 2000 });
  assert.equal(c.ok, false);
  assert.equal(!c.ok && c.stage, "tcp");
  assert.equal(c.tcp.status, "refused");
});

Deno.test("connectTls() reports a peer that closes on our ClientHello without a byte as not-tls", async () => {
  await withServer((s) => s.once("data", () => s.end()), async (port) => {
    const c = await connectTls({ host: "127.0.0.1", port, timeoutMs: 2000 });
    assert.equal(c.tls?.status, "not-tls");
    assert.equal(c.tls?.peerSent, "nothing");
    assert.equal(c.tls?.alert, undefined);
  });
});

Deno.test("connectTls() reports a malformed ServerHello as our stack's refusal, with the alert we sent", async () => {
  // A TLS record holding an empty ServerHello: the peer speaks TLS, badly; rustls refuses it.
  const hello = new Uint8Array([22, 3, 3, 0, 4, 2, 0, 0, 0]);
  await withServer((s) => s.once("data", () => s.end(hello)), async (port) => {
    const c = await connectTls({ host: "127.0.0.1", port, timeoutMs: 2000 });
    assert.equal(c.tls?.status, "error");
    assert.equal(c.tls?.alertSent?.name, "decode_error");
    assert.match(c.tls?.error ?? "", /^our TLS stack refused/);
  });
});

Deno.test("connectTls() reports a peer that answers with an alert record by the alert's name", async () => {
  // A TLS alert record: level fatal (2), protocol_version (70).
  await withServer(
    (s) => s.once("data", () => s.end(new Uint8Array([21, 3, 3, 0, 2, 2, 70]))),
    async (port) => {
      const c = await connectTls({ host: "127.0.0.1", port, timeoutMs: 2000 });
      assert.deepEqual(c.tls?.alert, { name: "protocol_version", code: 70 });
    },
  );
});

Deno.test("connectTls() reports a peer that answers with HTTP as not-tls, saying what came", async () => {
  await withServer(
    (s) => s.once("data", () => s.write("HTTP/1.1 400 Bad Request\r\n\r\n")),
    async (port) => {
      const c = await connectTls({ host: "127.0.0.1", port, timeoutMs: 2000 });
      assert.equal(c.tls?.status, "not-tls");
      assert.equal(c.tls?.firstBytes?.kind, "http");
      assert.match(c.tls?.error ?? "", /answered with HTTP/);
    },
  );
});

Deno.test("connectTls() holds a flooding peer back through TCP while our TLS socket is paused", async () => {
  // Deno's node:tls reads its stream on while paused and buffers the
  // cleartext without bound; the tap must stop reading TCP for it.
  const peer = await startFloodingTlsServer(pki);
  const c = await connectTls({ host: "127.0.0.1", port: peer.port, timeoutMs: 5000 });
  try {
    if (!c.ok) throw new Error(`no connection: ${c.tls?.error}`);
    c.socket.pause();
    await new Promise((r) => setTimeout(r, 500));
    const held = c.wire!().received.bytes;
    await new Promise((r) => setTimeout(r, 300));
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
    assert.ok(held < 2 ** 20, `read ${mb(held)} while paused`);
    assert.equal(c.wire!().received.bytes, held, "reading went on while paused");
    c.socket.on("data", () => {});
    c.socket.resume();
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(c.wire!().received.bytes > held, "reading did not resume");
  } finally {
    if (c.ok) c.socket.destroy();
    await peer.close();
  }
});
