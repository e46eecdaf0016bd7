/**
 * The tap between net.Socket and node:tls, in-process on loopback: both TLS
 * roles, plain mode, backpressure, close and reset, peers that do not speak TLS.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import { makeCert, SERVER_AUTH } from "../../testing/certificates.ts";
import { WireTap } from "./tap.ts";

const server = await makeCert({
  name: "localhost",
  eku: [SERVER_AUTH],
  san: [{ type: "dns", value: "localhost" }],
});
const credentials = { cert: server.certPem, key: server.keyPem };

/** A loopback TCP server; each accepted socket goes to `onSocket`. */
async function listen(onSocket: (socket: net.Socket) => void) {
  const srv = net.createServer({ noDelay: true }, onSocket);
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", () => resolve()));
  return { port: (srv.address() as net.AddressInfo).port, close: () => srv.close() };
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

/** A TLS client over a tap; resolves once the TLS socket closed, with what it read and its error. */
function tlsClient(tap: WireTap, options: tls.ConnectionOptions = {}, send = "hello") {
  const secure = tls.connect({
    socket: tap,
    rejectUnauthorized: false,
    ...options,
  });
  tap.attachTls(secure);
  let read = "";
  let error: Error | undefined;
  secure.on("secureConnect", () => secure.write(send));
  secure.on("data", (d) => (read += d));
  secure.on("error", (e) => (error = e));
  return new Promise<{ read: string; error?: Error }>((resolve) =>
    secure.once("close", () => resolve({ read, error }))
  );
}

/** A loopback TLS server over a tap in the server role; `onSecure` gets each TLS socket and its tap. */
function tappedTlsServer(onSecure: (secure: tls.TLSSocket, tap: WireTap) => void) {
  return listen((socket) => {
    const tap = new WireTap({ socket, role: "server" });
    const secure = new tls.TLSSocket(tap, { isServer: true, ...credentials });
    tap.attachTls(secure);
    secure.on("error", () => {});
    onSecure(secure, tap);
  });
}

/** Our TLS client over a tap against a server that does `onSocket`; its result and the tap's observation. */
async function clientAgainst(
  onSocket: (socket: net.Socket) => void,
  options: tls.ConnectionOptions = {},
) {
  const srv = await listen(onSocket);
  const tap = new WireTap({ socket: await connect(srv.port), role: "client" });
  const result = await tlsClient(tap, options);
  srv.close();
  return { ...result, observation: tap.observation() };
}

const closed = (s: { once(e: "close", f: () => void): unknown }) =>
  new Promise<void>((resolve) => s.once("close", () => resolve()));

Deno.test("WireTap in both roles: TLS works unchanged and each side observes the same handshake", async () => {
  let serverTap!: WireTap;
  const srv = await tappedTlsServer((secure, tap) => {
    serverTap = tap;
    secure.on("data", (d) => secure.end(`echo:${d}`));
  });
  const tap = new WireTap({ socket: await connect(srv.port), role: "client" });
  const result = await tlsClient(tap, { servername: "localhost" });
  await closed(serverTap);
  srv.close();
  assert.equal(result.read, "echo:hello");
  assert.equal(result.error, undefined);
  const ours = tap.observation();
  const theirs = serverTap.observation();
  assert.equal(ours.clientHello?.serverName, "localhost");
  assert.deepEqual(theirs.clientHello, ours.clientHello);
  assert.deepEqual(theirs.serverHello, ours.serverHello);
  assert.equal(ours.serverHello?.version.name, "TLSv1.3");
  assert.equal(ours.sent.bytes, theirs.received.bytes);
  assert.equal(ours.received.bytes, theirs.sent.bytes);
  assert.equal(tap.peerSpokeTls && serverTap.peerSpokeTls, true);
  assert.equal(theirs.close.first, "us", "the server ended first");
  assert.equal(ours.close.first, "peer");
  assert.equal(ours.close.peer?.how, "fin");
});

/** Sends `total` random bytes in 64 KiB writes, waiting on backpressure; resolves their SHA-256. */
async function sendAll(stream: NodeJS.WritableStream, total: number): Promise<string> {
  const hash = createHash("sha256");
  for (let sent = 0; sent < total; sent += 65536) {
    const chunk = crypto.getRandomValues(new Uint8Array(65536));
    hash.update(chunk);
    if (!stream.write(chunk)) await new Promise((r) => stream.once("drain", r));
  }
  return hash.digest("hex");
}

/** Reads a stream to its end; resolves the byte count and SHA-256. */
function readAll(stream: NodeJS.ReadableStream): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  stream.on("data", (d: Uint8Array) => (hash.update(d), bytes += d.length));
  return new Promise((resolve) =>
    stream.once("end", () => resolve({ bytes, sha256: hash.digest("hex") }))
  );
}

Deno.test("WireTap pauses the socket while its reader does not read, and loses no byte", async () => {
  const total = 32 * 1024 * 1024;
  let sent!: Promise<string>;
  const srv = await listen((
    socket,
  ) => (sent = sendAll(socket, total).then((h) => (socket.end(), h))));
  const socket = await connect(srv.port);
  const tap = new WireTap({ socket, role: "client" });
  tap.pause();
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(tap.readableLength <= 256 * 1024, `the tap holds ${tap.readableLength} bytes`);
  assert.ok(
    socket.bytesRead < total / 2,
    `${socket.bytesRead} of ${total} bytes read while nobody read`,
  );
  const received = readAll(tap);
  tap.resume();
  assert.deepEqual(await received, { bytes: total, sha256: await sent });
  tap.end();
  srv.close();
});

Deno.test("WireTap holds its writer back while the socket cannot send, and loses no byte", async () => {
  const total = 32 * 1024 * 1024;
  let peer!: net.Socket;
  const accepted = new Promise<void>((resolve) => {
    void listen((socket) => {
      peer = socket;
      peer.pause();
      resolve();
    }).then((s) => (srv = s));
  });
  let srv!: { port: number; close(): void };
  while (!srv) await new Promise((r) => setTimeout(r, 5));
  const tap = new WireTap({ socket: await connect(srv.port), role: "client" });
  await accepted;
  const sent = sendAll(tap, total).then((h) => (tap.end(), h));
  await new Promise((r) => setTimeout(r, 300));
  const passed = tap.observation().sent.bytes;
  assert.ok(passed < total / 2, `${passed} of ${total} bytes passed to a socket nobody reads`);
  assert.ok(tap.writableLength <= 256 * 1024, `the tap queues ${tap.writableLength} bytes`);
  const received = readAll(peer);
  peer.resume();
  assert.deepEqual(await received, { bytes: total, sha256: await sent });
  srv.close();
});

// Both sides send at once; each ends once it has sent everything (the server
// first: Deno's TLS over a JS stream drops cleartext still queued when the
// peer's close_notify makes it end, see docs/wire.md).
Deno.test("WireTap carries megabytes of TLS both ways unchanged", async () => {
  const total = 4 * 1024 * 1024;
  let serverSent!: Promise<string>;
  let serverGot!: Promise<{ bytes: number; sha256: string }>;
  const srv = await tappedTlsServer((secure) => {
    serverGot = readAll(secure);
    secure.once(
      "secure",
      () => (serverSent = sendAll(secure, total).then((h) => (secure.end(), h))),
    );
  });
  const tap = new WireTap({ socket: await connect(srv.port), role: "client" });
  const secure = tls.connect({ socket: tap, rejectUnauthorized: false });
  tap.attachTls(secure);
  const secureClosed = closed(secure);
  await new Promise((r) => secure.once("secureConnect", r));
  const got = readAll(secure);
  const sent = await sendAll(secure, total);
  assert.deepEqual(await got, { bytes: total, sha256: await serverSent });
  secure.end();
  assert.deepEqual(await serverGot, { bytes: total, sha256: sent });
  await secureClosed;
  srv.close();
  const o = tap.observation();
  assert.ok(o.sent.bytes > total && o.received.bytes > total);
  assert.equal(o.records.length, 64);
  assert.ok(o.recordsOmitted > 400);
  assert.equal(o.close.first, "peer");
});

Deno.test("WireTap without TLS carries plain bytes both ways and records our end", async () => {
  const srv = await listen((socket) => {
    socket.on("data", (d) => socket.write(d));
    socket.on("end", () => socket.end());
  });
  const tap = new WireTap({ socket: await connect(srv.port), role: "client" });
  const abort = new Uint8Array([7, 0, 0, 0, 0, 4, 0, 0, 2, 2]);
  let echoed = new Uint8Array(0);
  tap.on("data", (d: Uint8Array) => (echoed = Uint8Array.from([...echoed, ...d])));
  tap.write(abort);
  await new Promise((r) => setTimeout(r, 50));
  tap.end();
  await closed(tap);
  srv.close();
  assert.deepEqual(echoed, abort);
  const o = tap.observation();
  assert.equal(o.peerSpokeTls, false);
  assert.equal(o.sent.notTls, "not a TLS record: content type 7");
  assert.equal(o.peerFirstBytes?.description, "a DICOM A-ABORT (service-provider, unexpected-pdu)");
  assert.equal(o.close.first, "us");
  assert.equal(o.close.us?.how, "end");
});

Deno.test("WireTap: a peer that closes at once sent nothing, and TLS sees a close without alert", async () => {
  const { error, observation: o } = await clientAgainst((socket) => socket.end());
  assert.ok(error);
  assert.equal(o.peerSpokeTls, false);
  assert.equal(o.received.bytes, 0);
  assert.equal(o.close.first, "peer");
  assert.ok(o.clientHello, "our ClientHello went out");
});

Deno.test("WireTap: a peer that resets is recorded as a reset", async () => {
  const { observation: o } = await clientAgainst((socket) =>
    socket.once("data", () => socket.resetAndDestroy())
  );
  assert.equal(o.close.first, "peer");
  assert.equal(o.close.peer?.how, "reset");
});

Deno.test("WireTap: an HTTP answer is not TLS, with its start line", async () => {
  const { error, observation: o } = await clientAgainst((socket) =>
    socket.once("data", () => socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
  );
  assert.ok(error);
  assert.equal(o.peerSpokeTls, false);
  assert.equal(o.peerFirstBytes?.kind, "http");
  assert.equal(o.peerFirstBytes?.startLine, "HTTP/1.1 400 Bad Request");
});

Deno.test("WireTap names a plaintext alert: a TLS 1.2-only server refusing a TLS 1.3-only client", async () => {
  const { error, observation: o } = await clientAgainst((socket) => {
    const secure = new tls.TLSSocket(socket, {
      isServer: true,
      ...credentials,
      maxVersion: "TLSv1.2",
    });
    secure.on("error", () => {});
  }, { minVersion: "TLSv1.3" });
  assert.ok(error);
  assert.equal(o.peerSpokeTls, true);
  assert.deepEqual(o.alerts.map((a) => [a.direction, a.description.name]), [[
    "received",
    "protocol_version",
  ]]);
});

Deno.test("WireTap cannot name a TLS 1.3 client's alert: it is encrypted, and it says so", async () => {
  let serverTap!: WireTap;
  let serverError: Error | undefined;
  const srv = await tappedTlsServer((secure, tap) => {
    serverTap = tap;
    secure.on("error", (e) => (serverError = e));
  });
  // The client checks the self-signed server certificate and refuses it.
  const tap = new WireTap({ socket: await connect(srv.port), role: "client" });
  const result = await tlsClient(tap, { rejectUnauthorized: true, servername: "localhost" });
  await closed(serverTap);
  srv.close();
  assert.ok(result.error);
  const o = serverTap.observation();
  assert.equal(o.tls13Encrypted, true);
  assert.deepEqual(o.alerts, []);
  assert.ok(o.received.encryptedRecords >= 1, "the alert came as an encrypted record");
  // Through both taps the alert arrives as it does without them: the TLS stack names it.
  assert.match(String(serverError), /received fatal alert: UnknownCA/);
});
