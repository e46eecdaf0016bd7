/**
 * The OpenSSL stack's costs, the figures behind docs/openssl-stack.md:
 * - start-up of the Node.js helper (spawn to listening);
 * - a full secure C-ECHO association (TCP, mutual TLS, A-ASSOCIATE, C-ECHO,
 *   A-RELEASE) to DCMTK storescp through the helper, against the same through
 *   Deno's in-process rustls `node:tls`, a loop of `echoscu +tls` processes,
 *   and an `openssl s_client` process per association carrying the same PDUs
 *   (the alternative design: the openssl binary per conversation);
 * - a 4 KiB-each-way exchange against a local Node.js TLS echo server: the
 *   helper, rustls, and Node itself with no relay (what a helper that owned
 *   the TCP socket could at best reach: the relay's cost);
 * - one 100-byte round trip on an established connection (the relay's
 *   latency per exchange): helper against rustls.
 * Target (issue 10): an association through the helper <= 0.3x echoscu's.
 * The machine is shared: each figure is the better of two runs.
 */
import net from "node:net";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { cEcho } from "../src/dimse/mod.ts";
import { generatePki } from "../src/pki/mod.ts";
import { connectTls, loadCredentials } from "../src/tls/mod.ts";
import { startOpenSsl } from "../src/tls/openssl/mod.ts";
import {
  IMPLICIT_VR_LITTLE_ENDIAN,
  requestAssociation,
  VERIFICATION_SOP_CLASS,
} from "../src/ul/mod.ts";
import { echoscuCommand, havePeer, PEER_ENV, startStorescp } from "../src/testing/peers.ts";

if (
  !havePeer("storescp", "dcmtk") || !havePeer("echoscu", "dcmtk") || !havePeer("node", "nodejs")
) {
  Deno.exit(0);
}

const NODE_SERVER = `
const tls = require("node:tls"), fs = require("node:fs");
const s = tls.createServer({ cert: fs.readFileSync(process.argv[1]), key: fs.readFileSync(process.argv[2]) }, (c) => {
  c.setNoDelay(true);
  c.on("data", (d) => c.write(d));
  c.on("error", () => {});
});
s.listen(0, "127.0.0.1", () => console.log(s.address().port));
process.stdin.on("end", () => process.exit(0)); process.stdin.resume();`;

const N = 100;
const N_PROCESSES = 40;
const WARMUP = 5;

const dir = await Deno.makeTempDir({ prefix: "dicomtls-openssl-bench-" });
const pki = await generatePki({
  spec: new URL("../fixtures/pki/standard.yaml", import.meta.url).pathname,
  out: `${dir}/pki`,
});
const file = (name: string, kind: "crt" | "key" | "chain") =>
  join(pki.dir, pki.manifest.entries.find((e) => e.name === name)!.files[kind]!);
const credentials = await loadCredentials({
  cert: file("client", "crt"),
  key: file("client", "key"),
});

// The RSA server key: storescp's default profile has no TLS 1.2 suite for an EC key.
const scp = await startStorescp({
  cert: file("server-rsa", "chain"),
  key: file("server-rsa", "key"),
  trust: [file("root", "crt")],
});

async function echoOver(socket: Duplex) {
  const association = await requestAssociation({
    socket,
    callingAe: "DICOMTLS",
    calledAe: "STORESCP",
    presentationContexts: [{
      abstractSyntax: VERIFICATION_SOP_CLASS,
      transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
    }],
    timeoutMs: 10_000,
  });
  const status = await cEcho(association, { timeoutMs: 10_000 });
  if (status.name !== "Success") throw new Error(`C-ECHO: ${status.name}`);
  await association.release({ timeoutMs: 10_000 });
}

function tcp(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

async function timed(n: number, fn: () => Promise<void>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const began = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - began) / n;
}

const best = async (n: number, fn: () => Promise<void>) =>
  Math.min(await timed(n, fn), await timed(n, fn));

// ---- start-up -----------------------------------------------------------------

const starts: number[] = [];
for (let i = 0; i < 5; i++) {
  const e = await startOpenSsl();
  starts.push(e.startMs);
  await e.close();
}
const bare: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  await new Deno.Command("node", { args: ["-e", "0"] }).output();
  bare.push(performance.now() - t);
}

const engine = await startOpenSsl();
const ms = (x: number) => `${x.toFixed(2).padStart(7)} ms`;

try {
  // ---- a C-ECHO association -------------------------------------------------

  const viaHelper = (maxVersion: "TLSv1.2" | "TLSv1.3") => async () => {
    const h = await engine.connect({
      ciphertext: await tcp(scp.port),
      cert: credentials.cert,
      key: credentials.key,
      maxVersion,
      timeoutMs: 10_000,
    });
    await echoOver(h.plaintext);
  };
  const viaRustls = async () => {
    const c = await connectTls({
      host: "127.0.0.1",
      port: scp.port,
      credentials,
      timeoutMs: 10_000,
    });
    if (!c.ok) throw new Error(`rustls: ${c.stage}`);
    await echoOver(c.socket);
  };
  const echoscu = async () => {
    const [program, ...args] = echoscuCommand({
      key: file("client", "key"),
      cert: file("client", "crt"),
      ca: file("root", "crt"),
      calledAe: "STORESCP",
      port: scp.port,
    });
    const out = await new Deno.Command(program, {
      args,
      env: PEER_ENV,
      stdout: "null",
      stderr: "null",
    }).output();
    if (!out.success) throw new Error("echoscu failed");
  };
  const sClient = sClientEcho(scp.port);

  const helper13 = await best(N, viaHelper("TLSv1.3"));
  const helper12 = await best(N, viaHelper("TLSv1.2"));
  const rustls = await best(N, viaRustls);
  const dcmtk = await best(N_PROCESSES, echoscu);
  const perProcess = await best(N_PROCESSES, sClient);

  // ---- 4 KiB each way against a local Node TLS server --------------------------

  const server = await nodeEchoServer();
  try {
    const exchange = (open: (s: net.Socket) => Promise<Duplex>) => async () => {
      const plaintext = await open(await tcp(server.port));
      await roundTrip(plaintext);
    };
    const helperX = await best(
      N,
      exchange(async (s) => (await engine.connect({ ciphertext: s, timeoutMs: 10_000 })).plaintext),
    );
    const rustlsX = await best(N, async () => {
      const c = await connectTls({ host: "127.0.0.1", port: server.port, timeoutMs: 10_000 });
      if (!c.ok) throw new Error("rustls exchange");
      await roundTrip(c.socket);
    });
    const nodeX = await nodeDirect(server.port);
    const rtt = async (plaintext: Duplex) => {
      const n = 300;
      const began = performance.now();
      for (let i = 0; i < n; i++) {
        await new Promise<void>((resolve) => {
          plaintext.once("data", () => resolve());
          plaintext.write(new Uint8Array(100));
        });
      }
      plaintext.destroy();
      return (performance.now() - began) / n;
    };
    const helperRtt = Math.min(
      await rtt((await engine.connect({ ciphertext: await tcp(server.port) })).plaintext),
      await rtt((await engine.connect({ ciphertext: await tcp(server.port) })).plaintext),
    );
    const rustlsSocket = async () => {
      const c = await connectTls({ host: "127.0.0.1", port: server.port, timeoutMs: 10_000 });
      if (!c.ok) throw new Error("rustls round trip");
      return c.socket;
    };
    const rustlsRtt = Math.min(await rtt(await rustlsSocket()), await rtt(await rustlsSocket()));

    console.log(`load average: ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")} (2 cores)`);
    console.log("helper start-up (spawn to listening), 5 starts:");
    console.log(`  median ${ms(median(starts))}; 'node -e 0' alone ${ms(median(bare))}`);
    console.log(`secure C-ECHO association to storescp (mutual TLS), per association:`);
    console.log(`  OpenSSL helper, TLS 1.3      ${ms(helper13)}`);
    console.log(`  OpenSSL helper, TLS 1.2      ${ms(helper12)}`);
    console.log(`  rustls node:tls in Deno      ${ms(rustls)}`);
    console.log(`  echoscu +tls process         ${ms(dcmtk)}`);
    console.log(`  openssl s_client process     ${ms(perProcess)}  (same PDUs, one process each)`);
    const ratio = helper13 / dcmtk;
    console.log(
      `  helper vs echoscu: ${ratio.toFixed(2)}x (target <= 0.3x) ${
        ratio <= 0.3 ? "PASS" : "MISS"
      }`,
    );
    console.log(`TLS handshake + 4 KiB each way to a local Node TLS server, per connection:`);
    console.log(`  OpenSSL helper (relayed)     ${ms(helperX)}`);
    console.log(`  rustls node:tls in Deno      ${ms(rustlsX)}`);
    console.log(`  Node itself, no relay        ${ms(nodeX)}`);
    console.log(`one 100-byte round trip on an established connection:`);
    console.log(`  OpenSSL helper (relayed)     ${ms(helperRtt)}`);
    console.log(`  rustls node:tls in Deno      ${ms(rustlsRtt)}`);
  } finally {
    await server.stop();
  }
} finally {
  await engine.close();
  await scp.stop();
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(scp.outDir, { recursive: true }).catch(() => {});
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// DCMTK echoscu's PDUs (fixtures/pdu/echo.json): RQ, C-ECHO, RELEASE, each sent
// after the previous answer, through `openssl s_client -quiet` (stdin/stdout).
function sClientEcho(port: number) {
  const [rq, , echo, , release] = JSON.parse(
    Deno.readTextFileSync(new URL("../fixtures/pdu/echo.json", import.meta.url)),
  ).pdus.map((p: { hex: string }) => Uint8Array.from(p.hex.match(/../g)!, (h) => parseInt(h, 16)));
  return async () => {
    const child = new Deno.Command("openssl", {
      args: [
        "s_client",
        "-quiet",
        "-connect",
        `127.0.0.1:${port}`,
        "-cert",
        file("client", "crt"),
        "-key",
        file("client", "key"),
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    const reader = child.stdout.getReader();
    let pending = new Uint8Array(0);
    const nextPdu = async () => {
      for (;;) {
        if (pending.length >= 6) {
          const length = 6 + new DataView(pending.buffer, pending.byteOffset).getUint32(2);
          if (pending.length >= length) return void (pending = pending.slice(length));
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("s_client ended early");
        pending = Uint8Array.from([...pending, ...value]);
      }
    };
    for (const pdu of [rq, echo, release]) {
      await writer.write(pdu);
      await nextPdu();
    }
    await writer.close();
    await reader.cancel();
    child.kill();
    await child.status;
  };
}

async function roundTrip(plaintext: Duplex) {
  await new Promise<void>((resolve, reject) => {
    let n = 0;
    plaintext.on("data", (d: Uint8Array) => {
      n += d.length;
      if (n >= 4096) resolve();
    });
    plaintext.once("error", reject);
    plaintext.write(new Uint8Array(4096));
  });
  plaintext.destroy();
}

async function nodeEchoServer() {
  const child = new Deno.Command("node", {
    args: ["-e", NODE_SERVER, file("server-rsa", "chain"), file("server-rsa", "key")],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const port = Number((await reader.read()).value);
  reader.cancel();
  return {
    port,
    stop: async () => {
      await child.stdin.close();
      await child.status;
    },
  };
}

/** The same loop inside one Node process: its own per-connection time. */
async function nodeDirect(port: number): Promise<number> {
  const script = `
const tls = require("node:tls"), net = require("node:net");
const one = () => new Promise((resolve, reject) => {
  const s = tls.connect({ host: "127.0.0.1", port: ${port}, rejectUnauthorized: false });
  s.setNoDelay(true); let n = 0;
  s.on("secureConnect", () => s.write(Buffer.alloc(4096)));
  s.on("data", (d) => { n += d.length; if (n >= 4096) { s.destroy(); resolve(); } });
  s.on("error", reject);
});
(async () => {
  let best = Infinity;
  for (let r = 0; r < 2; r++) {
    for (let i = 0; i < ${WARMUP}; i++) await one();
    const t = performance.now();
    for (let i = 0; i < ${N}; i++) await one();
    best = Math.min(best, (performance.now() - t) / ${N});
  }
  console.log(best);
})();`;
  const out = await new Deno.Command("node", { args: ["-e", script] }).output();
  return Number(new TextDecoder().decode(out.stdout));
}
