/**
 * Hostile peers against the OpenSSL stack, all through one helper: bytes
 * that are not TLS in both roles, silence, a reset mid-handshake. Each ends
 * in a typed error, the helper frees the conversation, and the next
 * conversation through the same helper still completes.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { type OpenSslEngine, OpenSslError, startOpenSsl } from "../src/tls/openssl/mod.ts";
import { enginePair, tcp } from "../src/testing/openssl_stack.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const ignore = !havePeer("node", "nodejs");
const pki = ignore ? undefined : await testPki();
const text = (name: string, ext: "chain" | "key") =>
  Deno.readTextFileSync(pkiFile(pki!, name, ext));

/** A TCP server on a free loopback port that runs `onSocket` per connection. */
async function listen(onSocket: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("close", () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<OpenSslError> {
  const error = await promise.then(() => undefined, (e) => e);
  assert.ok(error instanceof OpenSslError, `expected an OpenSslError, got ${error}`);
  return error;
}

/** Waits until the helper holds no conversation (it frees them asynchronously). */
async function assertFreed(engine: OpenSslEngine, what: string) {
  for (let i = 0; i < 50; i++) {
    if ((await engine.stats()).conversations === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`the helper still holds a conversation after ${what}`);
}

/** A full handshake through the helper with itself (server and client role), plus data both ways. */
async function selfHandshake(engine: OpenSslEngine) {
  const { server, client, close } = await enginePair(engine, {
    cert: text("server-rsa", "chain"),
    key: text("server-rsa", "key"),
    minVersion: "TLSv1.1",
    ciphers: ["TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"],
    dhparam: "auto",
  }, {
    minVersion: "TLSv1.1",
    maxVersion: "TLSv1.1",
    ciphers: ["TLS_DHE_RSA_WITH_AES_256_CBC_SHA"],
  });
  try {
    assert.equal(client.protocol, "TLSv1.1");
    assert.equal(client.ephemeralKey?.type, "DH");
    server.plaintext.on("data", (d: Uint8Array) => server.plaintext.end(d));
    const echoed = new Promise<string>((resolve) => {
      let got = "";
      client.plaintext.on("data", (d: Uint8Array) => got += new TextDecoder().decode(d));
      client.plaintext.on("end", () => resolve(got));
    });
    client.plaintext.write("ping");
    assert.equal(await echoed, "ping");
  } finally {
    await close();
  }
}

Deno.test({
  name: "hostile peers end in typed errors, are freed, and the helper goes on serving",
  ignore,
  async fn() {
    const engine = await startOpenSsl();
    try {
      // A client that speaks HTTP, one that sends random bytes: our server refuses.
      for (
        const bytes of [
          new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n"),
          // Random but for its first byte: 0x16 (a TLS record) or one with the high bit set (an
          // SSLv2 hello) may declare a length over 1 KiB, and OpenSSL then rightly waits for it.
          Uint8Array.of(0x00, ...crypto.getRandomValues(new Uint8Array(1023))),
        ]
      ) {
        let accepted: Promise<unknown> = Promise.resolve();
        const server = await listen((socket) => {
          accepted = refusal(
            engine.accept({
              ciphertext: socket,
              cert: text("server-rsa", "chain"),
              key: text("server-rsa", "key"),
              timeoutMs: 5000,
            }),
          );
        });
        const client = await tcp(server.port);
        client.on("error", () => {});
        client.write(bytes);
        const e = (await accepted) as OpenSslError;
        assert.equal(e.kind, "refused", e.message);
        client.destroy();
        await server.close();
        await assertFreed(engine, "bytes that are not TLS");
      }

      // A server that answers our ClientHello with bytes that are not TLS.
      const garbage = await listen((socket) =>
        socket.once("data", () => socket.write("220 smtp.example ESMTP\r\n"))
      );
      const notTls = await refusal(
        engine.connect({ ciphertext: await tcp(garbage.port), timeoutMs: 5000 }),
      );
      assert.equal(notTls.kind, "refused", notTls.message);
      assert.match(notTls.message, /not TLS|wrong version number|packet length/);
      await garbage.close();
      await assertFreed(engine, "a server that is not TLS");

      // A server that never answers: the caller's deadline, and the conversation freed.
      const silent = await listen(() => {});
      const started = performance.now();
      const timeout = await refusal(
        engine.connect({ ciphertext: await tcp(silent.port), timeoutMs: 300 }),
      );
      assert.equal(timeout.kind, "timeout");
      assert.ok(performance.now() - started < 2000);
      // Without a deadline the caller gives up by destroying its socket: our doing, not the peer's.
      const socket = await tcp(silent.port);
      const givenUp = refusal(engine.connect({ ciphertext: socket }));
      setTimeout(() => socket.destroy(), 100);
      const local = await givenUp;
      assert.equal(local.kind, "local", local.message);
      assert.match(local.message, /closed on our side/);
      await silent.close();
      await assertFreed(engine, "a silent server");

      // A server that resets the connection after the ClientHello.
      const reset = await listen((socket) => socket.once("data", () => socket.resetAndDestroy()));
      const closed = await refusal(
        engine.connect({ ciphertext: await tcp(reset.port), timeoutMs: 5000 }),
      );
      assert.equal(closed.kind, "peer-closed", closed.message);
      await reset.close();
      await assertFreed(engine, "a reset");

      await selfHandshake(engine);
      await assertFreed(engine, "a completed conversation");
      assert.ok(engine.alive);
    } finally {
      await engine.close();
    }
  },
});
