import assert from "node:assert/strict";
import net from "node:net";
import { HelloScheduler } from "./scheduler.ts";

// A fatal handshake_failure alert record: what a TLS server answers to a hello it refuses.
const ALERT = new Uint8Array([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);
const HELLO = { version: "TLSv1.2", cipherSuites: ["AES128-SHA"] };

/**
 * A loopback server that answers the hello of its `n`th connection as
 * `answer(n)` says: an alert, no answer (stall), or a reset; it counts how
 * many hellos it holds at once.
 */
async function alertServer(answer: (n: number) => "alert" | "stall" | "reset") {
  let connections = 0;
  let waiting = 0; // hellos read and not yet answered
  let mostWaiting = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const n = ++connections;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    socket.once("data", () => {
      if (answer(n) === "stall") return;
      if (answer(n) === "reset") return void socket.resetAndDestroy();
      mostWaiting = Math.max(mostWaiting, ++waiting);
      // Held a moment, so that concurrent hellos overlap here.
      setTimeout(() => {
        waiting--;
        socket.end(ALERT);
      }, 5);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get connections() {
      return connections;
    },
    get mostWaiting() {
      return mostWaiting;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

Deno.test("HelloScheduler keeps at most `concurrency` hellos in flight and returns every answer", async () => {
  const server = await alertServer(() => "alert");
  try {
    const scheduler = new HelloScheduler({ host: "127.0.0.1", port: server.port, concurrency: 3 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => scheduler.send(HELLO)));
    assert.ok(answers.every((a) => a.status === "answered" && a.result.status === "alert"));
    assert.ok(server.mostWaiting <= 3, `at most 3 at once, saw ${server.mostWaiting}`);
    assert.ok(server.mostWaiting >= 2, "hellos did overlap");
    assert.equal(scheduler.stats().hellos, 20);
    assert.equal(scheduler.stats().retries, 0);
  } finally {
    await server.close();
  }
});

Deno.test("HelloScheduler backs off and retries a target that stops answering for a while", async () => {
  // The 2nd to 5th connections get no answer: a target that stalled, then came back.
  const server = await alertServer((n) => n >= 2 && n <= 5 ? "stall" : "alert");
  try {
    const scheduler = new HelloScheduler({
      host: "127.0.0.1",
      port: server.port,
      concurrency: 4,
      timeoutMs: 150,
      backoffMs: 20,
    });
    const answers = await Promise.all(Array.from({ length: 12 }, () => scheduler.send(HELLO)));
    assert.ok(answers.every((a) => a.status === "answered"), "every hello answered in the end");
    const stats = scheduler.stats();
    assert.equal(stats.retries, 4);
    assert.ok(stats.lowestLimit < 4, `backed off below 4, lowest ${stats.lowestLimit}`);
    assert.equal(stats.gone, undefined);
  } finally {
    await server.close();
  }
});

Deno.test("HelloScheduler gives a hello up as unknown after its retries, and a dead target up soon", async () => {
  const server = await alertServer(() => "stall"); // never answers
  try {
    const scheduler = new HelloScheduler({
      host: "127.0.0.1",
      port: server.port,
      concurrency: 8,
      timeoutMs: 60,
      retries: 1,
      backoffMs: 10,
      goneAfter: 3,
    });
    const began = performance.now();
    const answers = await Promise.all(Array.from({ length: 40 }, () => scheduler.send(HELLO)));
    const took = performance.now() - began;
    assert.ok(answers.every((a) => a.status === "unknown"));
    const first = answers[0];
    assert.ok(first.status === "unknown" && /no answer within 60 ms \(2 tries\)/.test(first.why));
    assert.match(scheduler.stats().gone ?? "", /stopped answering/);
    // Not 40 hellos x 2 tries: once gone, the rest end at once.
    assert.ok(server.connections < 60, `${server.connections} connections`);
    assert.ok(took < 3000, `took ${Math.round(took)} ms`);
  } finally {
    await server.close();
  }
});

Deno.test("HelloScheduler reports a closed port as unknown with the TCP error, never as a refusal", async () => {
  const server = await alertServer(() => "alert");
  const port = server.port;
  await server.close();
  const scheduler = new HelloScheduler({ host: "127.0.0.1", port, retries: 1, backoffMs: 5 });
  const answer = await scheduler.send(HELLO);
  assert.equal(answer.status, "unknown");
  assert.match(answer.status === "unknown" ? answer.why : "", /^TCP: .*ECONNREFUSED/);
});

Deno.test("HelloScheduler.send() throws for a hello it cannot build, before sending anything", async () => {
  const scheduler = new HelloScheduler({ host: "127.0.0.1", port: 9 });
  await assert.rejects(
    () => scheduler.send({ cipherSuites: ["NO-SUCH-SUITE"] }),
    /unknown cipher suite/,
  );
  assert.equal(scheduler.stats().hellos, 0);
});

Deno.test("HelloScheduler counts a reset as the answer of a target that still answers TLS after it", async () => {
  // Connection 2 is reset; the target alerts before and after (a server that refuses by reset).
  const server = await alertServer((n) => n === 2 ? "reset" : "alert");
  try {
    const scheduler = new HelloScheduler({ host: "127.0.0.1", port: server.port, concurrency: 1 });
    assert.equal((await scheduler.send(HELLO)).status, "answered");
    const reset = await scheduler.send(HELLO);
    assert.ok(reset.status === "answered" && reset.result.status === "closed");
    assert.equal(server.connections, 3, "one hello sent again to ask");
  } finally {
    await server.close();
  }
});

Deno.test("HelloScheduler does not count the resets of a target that stopped answering TLS as answers", async () => {
  // TLS until the 2nd connection, then every one reset: a target that died mid-probe.
  const server = await alertServer((n) => n <= 2 ? "alert" : "reset");
  try {
    const scheduler = new HelloScheduler({ host: "127.0.0.1", port: server.port, concurrency: 4 });
    const answers = await Promise.all(Array.from({ length: 4 }, () => scheduler.send(HELLO)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [
      "answered",
      "answered",
      "unknown",
      "unknown",
    ]);
    for (const a of answers) {
      if (a.status === "answered") assert.equal(a.result.status, "alert");
      else {assert.match(
          a.why,
          /^reset without an answer, and the target answered no hello sent after it/,
        );}
    }
  } finally {
    await server.close();
  }
});

Deno.test("HelloScheduler keeps the resets of a target that never answered TLS as they are", async () => {
  const server = await alertServer(() => "reset");
  try {
    const scheduler = new HelloScheduler({ host: "127.0.0.1", port: server.port });
    const answers = await Promise.all(Array.from({ length: 3 }, () => scheduler.send(HELLO)));
    assert.ok(answers.every((a) => a.status === "answered" && a.result.status === "closed"));
    assert.equal(server.connections, 3, "nothing to ask again");
  } finally {
    await server.close();
  }
});
