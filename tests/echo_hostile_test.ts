/**
 * runScu, the whole engine, against hostile peers on 127.0.0.1 over TLS:
 * each conversation ends within the configured timeout with a classified
 * Outcome (the stage, and the PS3.8 or TLS reason), never with a rejection.
 * The upper layer's own reactions (which A-ABORT the peer sees, framer
 * limits) are tested over plain TCP in ul_hostile_test.ts, and connectTls's
 * in tls_connect_test.ts; here the question is what the Outcome says.
 */
import assert from "node:assert/strict";
import net from "node:net";
import type { Duplex } from "node:stream";
import { runScu } from "../src/scu/mod.ts";
import type { Outcome } from "../src/outcome/mod.ts";
import { listenTls, loadCredentials } from "../src/tls/mod.ts";
import { decodePdu, encodePdu, type Pdu, PduFramer } from "../src/ul/mod.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { pDataPdu } from "../src/testing/raw_association.ts";
import { renderOutcome } from "../src/report/outcome_text.ts";
import { startFloodingTlsServer } from "../src/testing/hostile_peers.ts";

const TIMEOUT_MS = 1000;
/** Time allowed past the deadline for closing sockets and timers: not a speed target. */
const SLACK_MS = 500;

const pki = await testPki();
const serverCredentials = await loadCredentials({
  cert: pkiFile(pki, "server", "chain"),
  key: pkiFile(pki, "server", "key"),
});

const AC = Uint8Array.from(
  JSON.parse(Deno.readTextFileSync(new URL("../fixtures/pdu/echo.json", import.meta.url)))
    .pdus[1].hex.match(/../g)!,
  (h: string) => parseInt(h, 16),
);

/**
 * A TLS peer on 127.0.0.1 that runs `onSecure` once the handshake is done and
 * `onPdu` for every whole PDU it receives from us.
 */
async function tlsPeer(script: {
  onSecure?: (socket: Duplex) => void;
  onPdu?: (socket: Duplex, pdu: Pdu) => void;
}) {
  return await listenTls({
    credentials: serverCredentials,
    onConnection: ({ socket }) => {
      script.onSecure?.(socket);
      const framer = new PduFramer({ maxLength: 1 << 20 });
      socket.on("data", (chunk: Uint8Array) => {
        for (const bytes of framer.push(chunk)) {
          const pdu = decodePdu(bytes);
          if ("type" in pdu) script.onPdu?.(socket, pdu);
        }
      });
    },
  });
}

/** A plain TCP peer on 127.0.0.1 that runs `onData` on what we send. */
async function tcpPeer(onData: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("data", () => onData(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** One C-ECHO through runScu with TIMEOUT_MS, checked to end within it. */
async function echo(port: number): Promise<Outcome> {
  const began = performance.now();
  const outcome = await runScu({
    host: "127.0.0.1",
    port,
    callingAe: "DICOMTLS",
    calledAe: "STORESCP",
    policy: { method: "none" },
    timeoutMs: TIMEOUT_MS,
  });
  const took = performance.now() - began;
  assert.ok(took < TIMEOUT_MS + SLACK_MS, `runScu took ${Math.round(took)} ms`);
  assert.equal(outcome.ok, false);
  return outcome;
}

/** The stage reached, the TLS status and the association result and reason, in one line. */
function summary(o: Outcome) {
  return {
    stage: o.stage,
    tls: o.tls?.status,
    association: o.association?.result,
    ...(o.association?.abort ? { abort: o.association.abort } : {}),
  };
}

/** What runScu reports when the peer broke PS3.8 after TLS: we aborted as the service provider. */
function providerAbort(reason: string) {
  return {
    stage: "association",
    tls: "established",
    association: "aborted",
    abort: { source: "service-provider", reason, by: "us" },
  };
}

Deno.test("runScu() times out in the association stage against a TLS peer that never speaks, and says it aborted", async () => {
  const peer = await tlsPeer({});
  try {
    const o = await echo(peer.port);
    assert.deepEqual(summary(o), {
      stage: "association",
      tls: "established",
      association: "timeout",
      abort: { source: "service-user", reason: "reason-not-specified", by: "us" },
    });
    assert.match(o.association?.error ?? "", /in Sta5 waiting for A-ASSOCIATE-AC/);
  } finally {
    await peer.close();
  }
});

Deno.test("runScu() aborts as service provider when the peer answers with random bytes", async (t) => {
  await t.step("random bytes framed as a PDU of no PS3.8 type: unrecognized-pdu", async () => {
    const noise = crypto.getRandomValues(new Uint8Array(256));
    // A type PS3.8 does not define and a length that fits, so that the
    // decoder (not the framer's length limit) judges the bytes.
    noise[0] = 0x09 + (noise[0] % 0xf7);
    new DataView(noise.buffer).setUint32(2, noise.length - 6);
    const peer = await tlsPeer({ onSecure: (socket) => socket.write(noise) });
    try {
      const o = await echo(peer.port);
      assert.deepEqual(summary(o), providerAbort("unrecognized-pdu"));
      assert.deepEqual(o.pdus.at(-1)?.fields, {
        source: "service-provider",
        reason: "unrecognized-pdu",
      });
    } finally {
      await peer.close();
    }
  });
  await t.step(
    "raw random bytes: aborted by us, or a timeout if they look like a PDU's start",
    async () => {
      for (let i = 0; i < 3; i++) {
        const noise = crypto.getRandomValues(new Uint8Array(64));
        const peer = await tlsPeer({ onSecure: (socket) => socket.write(noise) });
        try {
          const o = await echo(peer.port);
          const detail = `${JSON.stringify(summary(o))} after ${Array.from(noise.subarray(0, 6))}`;
          assert.equal(o.stage, "association", detail);
          if (o.association?.result !== "timeout") {
            assert.equal(o.association?.result, "aborted", detail);
            assert.equal(o.association?.abort?.source, "service-provider", detail);
          }
        } finally {
          await peer.close();
        }
      }
    },
  );
});

Deno.test("runScu() aborts at once against a TLS peer that floods application data, within the deadline and in bounded memory", async (t) => {
  // Each 6 bytes of either flood framed as one invalid PDU, answered with an
  // A-ABORT each, queued behind a peer that does not read: 1.6 GB of RSS and
  // 5 s past the deadline (the ARTIM fallback), measured with `dicomtls echo`.
  const emptyPData = new Uint8Array(6 * 2730);
  for (let at = 0; at < emptyPData.length; at += 6) emptyPData[at] = 0x04;
  const floods = [
    {
      name: "zeros: refused at the first byte",
      chunk: new Uint8Array(16_384),
      reason: "unrecognized-pdu",
      received: "unknown PDU type 0x0",
      error: /type 0x00 is not a PS3.8 PDU type/,
    },
    {
      name: "P-DATA-TF headers without a PDV: the first one is answered",
      chunk: emptyPData,
      reason: "invalid-pdu-parameter-value",
      received: "P-DATA-TF",
      error: /P-DATA-TF has no PDV item/,
    },
  ];
  for (const flood of floods) {
    await t.step(flood.name, async () => {
      const peer = await startFloodingTlsServer(pki, { chunk: flood.chunk });
      const before = Deno.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 5);
      try {
        const o = await echo(peer.port);
        peak = Math.max(peak, Deno.memoryUsage().rss);
        assert.deepEqual(summary(o), providerAbort(flood.reason));
        assert.match(o.association?.error ?? "", flood.error);
        // Our A-ASSOCIATE-RQ, the peer's first invalid PDU, our one A-ABORT.
        assert.deepEqual(o.pdus.map((p) => `${p.direction} ${p.type}`), [
          "sent A-ASSOCIATE-RQ",
          `received ${flood.received}`,
          "sent A-ABORT",
        ]);
        assert.ok(o.durationMs < TIMEOUT_MS, `durationMs ${o.durationMs}`);
        assert.ok(peer.sent() > 0, "the peer flooded");
      } finally {
        clearInterval(sampler);
        await peer.close();
      }
      const growthMb = (peak - before) / 2 ** 20;
      assert.ok(growthMb < 64, `RSS grew by ${Math.round(growthMb)} MB`);
    });
  }
});

Deno.test("runScu() refuses a declared 4 GiB PDU before buffering it", async () => {
  const peer = await tlsPeer({
    onPdu: (socket) => socket.write(Uint8Array.of(2, 0, 0xff, 0xff, 0xff, 0xff, 0, 1)),
  });
  try {
    const o = await echo(peer.port);
    assert.deepEqual(summary(o), providerAbort("invalid-pdu-parameter-value"));
    assert.match(o.association?.error ?? "", /declared length 4294967295 exceeds the maximum/);
  } finally {
    await peer.close();
  }
});

Deno.test("runScu() reports an A-ASSOCIATE-AC with malformed items as aborted", async (t) => {
  const malformed = {
    "presentation context item longer than the PDU": (ac: Uint8Array) => (ac[101] = 0xff),
    "maximum length sub-item of 2 bytes": (ac: Uint8Array) => (ac[135] = 2),
  };
  for (const [name, corrupt] of Object.entries(malformed)) {
    await t.step(name, async () => {
      const ac = AC.slice();
      corrupt(ac);
      const peer = await tlsPeer({ onPdu: (socket) => socket.write(ac) });
      try {
        const o = await echo(peer.port);
        assert.deepEqual(summary(o), providerAbort("invalid-pdu-parameter-value"));
        assert.match(o.association?.error ?? "", /^Cannot decode PDU: /);
      } finally {
        await peer.close();
      }
    });
  }
});

Deno.test("runScu() reports an A-ABORT right after association as aborted, with the peer's source and reason", async () => {
  const peer = await tlsPeer({
    onPdu: (socket, pdu) =>
      socket.write(
        pdu.type === "A-ASSOCIATE-RQ"
          ? AC
          : encodePdu({ type: "A-ABORT", source: "service-user", reason: "reason-not-specified" }),
      ),
  });
  try {
    const o = await echo(peer.port);
    assert.deepEqual(summary(o), {
      stage: "dimse",
      tls: "established",
      association: "aborted",
      abort: { source: "service-user", reason: "reason-not-specified", by: "peer" },
    });
    assert.deepEqual(
      o.dimse?.operations.map((op) => [op.command, op.category]),
      [["C-ECHO", "aborted"]],
    );
  } finally {
    await peer.close();
  }
});

/** The C-ECHO timeout's text, checked to name the whole wait in whole milliseconds, once. */
function echoTimeout(o: Outcome, waitingFor: string) {
  const [op] = o.dimse?.operations ?? [];
  assert.equal(op?.category, "timeout", JSON.stringify(o.dimse));
  // The wait ends with runScu's whole time: the words name that limit.
  const limit =
    ": the conversation's time limit \\(1 s\\) ran out; raise --timeout, or the case's timeout";
  const m = new RegExp(`^Timed out after (\\d+) ms in Sta6 waiting for ${waitingFor}${limit}$`)
    .exec(op.statusName ?? "");
  assert.ok(m, String(op.statusName));
  // The whole wait for the C-ECHO-RSP, not the last slice of it.
  assert.ok(Math.abs(Number(m[1]) - op.durationMs) < 100, `${m[1]} ms vs ${op.durationMs}`);
  assert.ok(Number(m[1]) > TIMEOUT_MS / 2, m[1]);
  const row = renderOutcome(o).split("\n").find((l) => l.includes("Timed out"));
  assert.equal(row?.match(/ ms\b/g)?.length, 1, `the duration said once: ${row}`);
}

Deno.test("runScu() says how long it waited for the C-ECHO-RSP of a peer silent after A-ASSOCIATE-AC", async () => {
  const peer = await tlsPeer({
    onPdu: (socket, pdu) => void (pdu.type === "A-ASSOCIATE-RQ" && socket.write(AC)),
  });
  try {
    echoTimeout(await echo(peer.port), "P-DATA-TF");
  } finally {
    await peer.close();
  }
});

Deno.test("runScu() says how long it waited for a C-ECHO-RSP that comes a fragment every 50 ms and never ends", async () => {
  const timers: ReturnType<typeof setInterval>[] = [];
  const peer = await tlsPeer({
    onPdu: (socket, pdu) => {
      if (pdu.type === "A-ASSOCIATE-RQ") return void socket.write(AC);
      // A command fragment that is never the last: the message never completes.
      const fragment = pDataPdu(1, true, false, new Uint8Array(8));
      timers.push(setInterval(() => !socket.destroyed && socket.write(fragment), 50));
    },
  });
  try {
    echoTimeout(await echo(peer.port), "the rest of a DIMSE message \\(P-DATA-TF\\)");
  } finally {
    timers.forEach(clearInterval);
    await peer.close();
  }
});

Deno.test("runScu() reports a peer that closes before sending a byte as not-tls, not a refusal", async () => {
  const peer = await tcpPeer((socket) => socket.destroy());
  try {
    const o = await echo(peer.port);
    assert.deepEqual(summary(o), {
      stage: "tls",
      tls: "not-tls",
      association: "not-requested",
    });
    assert.equal(o.tls?.peerSent, "nothing");
  } finally {
    await peer.close();
  }
});

Deno.test("runScu() times out in the TLS stage on a plain TCP port that never speaks", async () => {
  const peer = await tcpPeer(() => {});
  try {
    const o = await echo(peer.port);
    assert.deepEqual(summary(o), { stage: "tls", tls: "timeout", association: "not-requested" });
  } finally {
    await peer.close();
  }
});
