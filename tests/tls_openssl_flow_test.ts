/**
 * Data flow through the OpenSSL helper, the engine talking to itself over
 * loopback TCP (server and client role in one helper): megabytes both ways
 * arrive intact, a reader that stops makes the writer wait instead of
 * filling memory, and conversations run side by side.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Duplex } from "node:stream";
import { type OpenSslEngine, startOpenSsl } from "../src/tls/openssl/mod.ts";
import { enginePair } from "../src/testing/openssl_stack.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const ignore = !havePeer("node", "nodejs");
const pki = ignore ? undefined : await testPki();
const text = (name: string, ext: "chain" | "key") =>
  Deno.readTextFileSync(pkiFile(pki!, name, ext));

/** The engine as server (the standard EC server certificate) and as client of itself. */
const pair = (engine: OpenSslEngine) =>
  enginePair(engine, { cert: text("server", "chain"), key: text("server", "key") }, {});

/** Reads a side until `total` bytes (or its end): byte count and SHA-256. */
function receive(side: Duplex, total = Infinity): Promise<{ bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    let bytes = 0;
    const done = () => resolve({ bytes, sha256: hash.digest("hex") });
    side.on("data", (d: Uint8Array) => {
      bytes += d.length;
      hash.update(d);
      if (bytes === total) done();
    });
    side.once("end", () => bytes < total && done());
    side.once("error", reject);
    side.resume(); // a 'data' listener does not restart a stream paused on purpose
  });
}

/**
 * Writes `total` pseudo-random bytes in 64 KiB chunks, honouring
 * backpressure; returns their SHA-256. It does not end: like a TLSSocket, a
 * side whose peer ended ends too, so both directions finish before either ends.
 */
async function pour(side: Duplex, total: number): Promise<string> {
  const hash = createHash("sha256");
  for (let sent = 0; sent < total; sent += 65_536) {
    const chunk = new Uint8Array(Math.min(65_536, total - sent)).map((_, i) =>
      (sent + i * 7) & 0xff
    );
    hash.update(chunk);
    if (!side.write(chunk)) await new Promise((resolve) => side.once("drain", resolve));
  }
  return hash.digest("hex");
}

Deno.test({
  name: "8 MiB each way at once arrive intact through the helper",
  ignore,
  async fn() {
    const engine = await startOpenSsl();
    const { server, client, close } = await pair(engine);
    try {
      const total = 8 * 1024 * 1024;
      const [toServer, toClient, atServer, atClient] = await Promise.all([
        pour(client.plaintext, total),
        pour(server.plaintext, total),
        receive(server.plaintext, total),
        receive(client.plaintext, total),
      ]);
      assert.deepEqual(atServer, { bytes: total, sha256: toServer });
      assert.deepEqual(atClient, { bytes: total, sha256: toClient });
    } finally {
      await close();
      await engine.close();
    }
  },
});

Deno.test({
  name: "a reader that stops makes the writer wait: what is in flight stays bounded",
  ignore,
  async fn() {
    const engine = await startOpenSsl();
    const { server, client, close } = await pair(engine);
    try {
      server.plaintext.pause();
      const limit = 256 * 1024 * 1024;
      const chunk = new Uint8Array(65_536);
      let written = 0;
      // Write until the writer has waited in vain three times in a row.
      for (let stalls = 0; stalls < 3 && written < limit;) {
        const ok = client.plaintext.write(chunk);
        written += chunk.length;
        if (ok) continue;
        const drained = await Promise.race([
          new Promise((r) => client.plaintext.once("drain", () => r(true))),
          new Promise((r) => setTimeout(() => r(false), 300)),
        ]);
        stalls = drained ? 0 : stalls + 1;
      }
      // Loopback TCP and Unix socket buffers plus a few stream buffers: megabytes, not all of it.
      assert.ok(written < 64 * 1024 * 1024, `${written} bytes went in with nobody reading`);
      const received = receive(server.plaintext);
      client.plaintext.end();
      assert.equal((await received).bytes, written);
    } finally {
      await close();
      await engine.close();
    }
  },
});

Deno.test({
  name: "twenty conversations through one helper run side by side",
  ignore,
  async fn() {
    const engine = await startOpenSsl();
    try {
      const pairs = await Promise.all(Array.from({ length: 20 }, () => pair(engine)));
      const results = await Promise.all(pairs.map(async ({ server, client }, i) => {
        const got = receive(server.plaintext);
        client.plaintext.end(`conversation ${i}`);
        return (await got).bytes;
      }));
      assert.deepEqual(results, pairs.map((_, i) => `conversation ${i}`.length));
      await Promise.all(pairs.map((p) => p.close()));
      assert.equal((await engine.stats()).contexts, 2);
    } finally {
      await engine.close();
    }
  },
});
