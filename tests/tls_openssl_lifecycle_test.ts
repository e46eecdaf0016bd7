/**
 * The OpenSSL helper's life: our own problems are `local` errors (Node.js
 * missing, a key that does not load, an option OpenSSL refuses) and send
 * nothing to the peer; a killed helper is detected (the engine refuses, the
 * shared engine restarts once); the helper is reaped when closed or killed,
 * and exits when the Deno process that started it exits.
 */
import assert from "node:assert/strict";
import net from "node:net";
import {
  closeSharedOpenSsl,
  OpenSslError,
  sharedOpenSsl,
  startOpenSsl,
} from "../src/tls/openssl/mod.ts";
import { abandonedHelperPid, tcp } from "../src/testing/openssl_stack.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const ignore = !havePeer("node", "nodejs");
const pki = ignore ? undefined : await testPki();
const text = (name: string, ext: "crt" | "key") => Deno.readTextFileSync(pkiFile(pki!, name, ext));

/** "running", "zombie" or "gone", from /proc. */
function processState(pid: number): "running" | "zombie" | "gone" {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return /^State:\s+Z/m.test(status) ? "zombie" : "running";
  } catch {
    return "gone";
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** A TCP server that records how many bytes each connection sent and never answers. */
async function silentServer() {
  const received: number[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const index = received.push(0) - 1;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("data", (d: Uint8Array) => received[index] += d.length);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<OpenSslError> {
  const error = await promise.then(() => undefined, (e) => e);
  assert.ok(error instanceof OpenSslError, `expected an OpenSslError, got ${error}`);
  return error;
}

Deno.test({
  name: "a missing Node.js is a local error that says what to install",
  ignore,
  async fn() {
    const e = await rejection(startOpenSsl({ node: "/nonexistent/node" }));
    assert.equal(e.kind, "local");
    assert.match(e.message, /not found on PATH: install Node\.js/);
  },
});

Deno.test({
  name:
    "a key that does not match, a PEM that is not one and a group this OpenSSL lacks are local errors, and nothing reaches the peer",
  ignore,
  async fn() {
    const engine = await startOpenSsl();
    const peer = await silentServer();
    try {
      const cases = {
        "mismatched key": {
          cert: text("client-wrong-key", "crt"),
          key: text("client-wrong-key", "key"),
        },
        "not a PEM": {
          cert: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
          key: "x",
        },
        // A name no OpenSSL knows is refused before the helper (phase input, see options_test.ts).
        "a group this OpenSSL lacks": { groups: ["GC256A"] },
      };
      for (const [what, options] of Object.entries(cases)) {
        const e = await rejection(engine.connect({ ciphertext: await tcp(peer.port), ...options }));
        assert.equal(e.kind, "local", `${what}: ${e.message}`);
        assert.equal(e.phase, "config", what);
      }
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(peer.received, [0, 0, 0]);
    } finally {
      await peer.close();
      await engine.close();
    }
  },
});

Deno.test({
  name:
    "a killed helper fails the conversation in progress and the next connect with local errors, and is reaped",
  ignore,
  async fn() {
    const engine = await startOpenSsl();
    const peer = await silentServer();
    try {
      const pending = rejection(engine.connect({ ciphertext: await tcp(peer.port) }));
      await until(() => peer.received[0] > 0, 2000); // the ClientHello went out
      Deno.kill(engine.pid, "SIGKILL");
      const inProgress = await pending;
      assert.equal(inProgress.kind, "local", inProgress.message);
      assert.ok(await until(() => !engine.alive, 2000));
      const next = await rejection(engine.connect({ ciphertext: await tcp(peer.port) }));
      assert.equal(next.kind, "local");
      assert.match(next.message, /exited with signal SIGKILL/);
      assert.equal(processState(engine.pid), "gone");
    } finally {
      await peer.close();
      await engine.close();
    }
  },
});

Deno.test({
  name: "sharedOpenSsl() shares one helper and starts a new one once it died",
  ignore,
  async fn() {
    try {
      const first = await sharedOpenSsl();
      assert.equal(await sharedOpenSsl(), first);
      Deno.kill(first.pid, "SIGKILL");
      assert.ok(await until(() => !first.alive, 2000));
      const [a, b] = await Promise.all([sharedOpenSsl(), sharedOpenSsl()]);
      assert.equal(a, b);
      assert.notEqual(a.pid, first.pid);
      assert.deepEqual(await a.stats(), { conversations: 0, contexts: 0 });
    } finally {
      await closeSharedOpenSsl();
    }
  },
});

Deno.test({
  name: "the helper exits when the Deno process that started it exits without closing it",
  ignore,
  async fn() {
    const pid = await abandonedHelperPid();
    // It exits; reaping an orphan is then init's job, so a brief zombie is not ours.
    assert.ok(await until(() => processState(pid) !== "running", 3000), `helper ${pid} still runs`);
  },
});
