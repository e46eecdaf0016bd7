/**
 * A hostile SCU for the inbound hardening tests, run as an inbound case's
 * `command:` trigger (`deno run -A src/testing/hostile_scu.ts MODE HOST PORT
 * CALLED [ARG]`): it connects to our listener over TLS (no client
 * certificate unless `HOSTILE_CERT`/`HOSTILE_KEY` name files) and then
 * misbehaves by MODE:
 *
 * - `flood`: associates and sends C-ECHO-RQs without end, never reading
 *   (not even TCP: our answers fill the kernel's buffers).
 * - `read-flood`: the same, reading and dropping our answers.
 * - `trickle`: associates, sends a C-STORE-RQ, then a P-DATA-TF that
 *   declares 4 GB, one byte every 100 ms.
 * - `trickle-slow`: a C-STORE whose Pixel Data declares 4 GB, in P-DATA-TFs
 *   of a lawful size, one byte every 100 ms.
 * - `big-rq`: an A-ASSOCIATE-RQ of 128 presentation contexts, a 64 KiB
 *   user-information item (with ARG `user`: one context and a 64 KiB
 *   user-information item) and AE titles with escapes and bidi characters;
 *   then it reads what we answer and closes.
 * - `burst N`: N TCP connections at once, each sending half a ClientHello.
 * - `keep-connecting`: a TLS connection every 20 ms, ignoring SIGTERM.
 * - `store-abort N`: associates, sends N whole C-STOREs (each answered),
 *   then the command and the start of the data set of one more, and an
 *   A-ABORT in its middle.
 * - `unproposed-context`: associates, sends a C-ECHO on its Verification
 *   context, then one on context 5, which it never proposed.
 *
 * @module
 */
import net from "node:net";
import { fileURLToPath } from "node:url";
import tls from "node:tls";
import { VERIFICATION_SOP_CLASS } from "../ul/mod.ts";
import { HALF_CLIENT_HELLO } from "./hostile_peers.ts";
import {
  datasetHead,
  echoRqPdu,
  floodEchoes,
  pDataPdu,
  SECONDARY_CAPTURE,
  storeRqPdu,
} from "./raw_association.ts";

/**
 * The command line that runs this program in MODE against the case's
 * listener, for a trigger's `command:`.
 *
 * @example
 * ```ts
 * import { hostileScuCommand } from "./hostile_scu.ts";
 * hostileScuCommand("flood", "HARNESS"); // [deno, run, -A, .../hostile_scu.ts, flood, ${harness.host}, ...]
 * ```
 */
export function hostileScuCommand(mode: string, calledAe: string, arg?: string): string[] {
  const self = fileURLToPath(import.meta.url);
  return ["deno", "run", "-A", self, mode, "${harness.host}", "${harness.port}", calledAe]
    .concat(arg === undefined ? [] : [arg]);
}

const IVLE = "1.2.840.10008.1.2";
const ESC = "\x1b";
/** An AE title (16 bytes as sent) with a terminal escape and a right-to-left override. */
export const HOSTILE_AE_BYTES: Uint8Array = new Uint8Array([
  0x1b,
  0x5b,
  0x33,
  0x31,
  0x6d,
  0xe2,
  0x80,
  0xae,
  0x45,
  0x56,
  0x49,
  0x4c,
  0x07,
  0x0d,
  0x20,
  0x20,
]);

function item(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = type;
  new DataView(out.buffer).setUint16(2, body.length);
  out.set(body, 4);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), at += p.length);
  return out;
}

const ascii = (s: string) => new TextEncoder().encode(s);

function ae(text: string): Uint8Array {
  const out = new Uint8Array(16).fill(0x20);
  out.set(ascii(text).subarray(0, 16));
  return out;
}

/**
 * An A-ASSOCIATE-RQ by hand: `contexts` presentation contexts (the first
 * Verification), a user-information item padded with an implementation
 * version name of `versionNameBytes` bytes of terminal escapes, and the
 * given AE titles as raw bytes.
 */
export function hostileAssociateRq(
  o: { called: Uint8Array; calling: Uint8Array; contexts: number; versionNameBytes: number },
): Uint8Array {
  const pcs = Array.from({ length: o.contexts }, (_, i) =>
    item(
      0x20,
      concat([
        new Uint8Array([2 * i + 1, 0, 0, 0]),
        item(0x30, ascii(i === 0 ? VERIFICATION_SOP_CLASS : `1.2.3.${ESC}[2J.${i}`)),
        item(0x40, ascii(IVLE)),
      ]),
    ));
  const max = new Uint8Array(4);
  new DataView(max.buffer).setUint32(0, 16_384);
  const versionName = ascii(`${ESC}]0;owned\x07\u202e`.repeat(o.versionNameBytes / 12 + 1))
    .subarray(0, o.versionNameBytes);
  const user = item(
    0x50,
    concat([item(0x51, max), item(0x52, ascii("1.2.3.4")), item(0x55, versionName)]),
  );
  const body = concat([
    new Uint8Array([0, 1, 0, 0]),
    o.called,
    o.calling,
    new Uint8Array(32),
    item(0x10, ascii("1.2.840.10008.3.1.1.1")),
    ...pcs,
    user,
  ]);
  const out = new Uint8Array(6 + body.length);
  out[0] = 0x01;
  new DataView(out.buffer).setUint32(2, body.length);
  out.set(body, 6);
  return out;
}

async function connectTls(host: string, port: number): Promise<tls.TLSSocket> {
  const cert = Deno.env.get("HOSTILE_CERT"), key = Deno.env.get("HOSTILE_KEY");
  const socket = tls.connect({
    host,
    port,
    rejectUnauthorized: false,
    ...(cert && key ? { cert: Deno.readTextFileSync(cert), key: Deno.readTextFileSync(key) } : {}),
  });
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("secureConnect", () => resolve());
    socket.once("close", () => reject(new Error("closed in the handshake")));
  });
  return socket;
}

async function associate(host: string, port: number, called: string): Promise<tls.TLSSocket> {
  const socket = await connectTls(host, port);
  const rq = hostileAssociateRq({
    called: ae(called),
    calling: ae(Deno.env.get("HOSTILE_CALLING") ?? "HOSTILE"),
    contexts: 1,
    versionNameBytes: 8,
  });
  // Verification and Secondary Capture, as a real modality offers.
  const sc = item(
    0x20,
    concat([
      new Uint8Array([3, 0, 0, 0]),
      item(0x30, ascii(SECONDARY_CAPTURE)),
      item(0x40, ascii(IVLE)),
    ]),
  );
  const userAt = rq.length - (4 + 8 + 11 + 12);
  const withSc = concat([rq.subarray(0, userAt), sc, rq.subarray(userAt)]);
  new DataView(withSc.buffer).setUint32(2, withSc.length - 6);
  socket.write(withSc);
  await new Promise<void>((resolve, reject) => {
    socket.once("data", (d: Uint8Array) => d[0] === 0x02 ? resolve() : reject(new Error("no AC")));
    socket.once("close", () => reject(new Error("closed before the AC")));
  });
  return socket;
}

// Associates and sends C-ECHO-RQs until our side closes, never reading at the TCP level.
async function flood(port: number, calledAe: string): Promise<void> {
  const { association } = await floodEchoes({ port, calledAe, durationMs: 3_600_000 });
  association.close();
}

// Sends C-ECHO-RQs as fast as we take them, reading (and dropping) our answers.
async function readingFlood(socket: tls.TLSSocket): Promise<void> {
  socket.on("data", () => {});
  const batch = concat(Array.from({ length: 256 }, (_, i) => echoRqPdu(1, i + 1)));
  while (!socket.destroyed) {
    if (!socket.write(batch)) {
      await new Promise((r) => (socket.once("drain", r), socket.once("close", r)));
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Our next answer (or our close): one PDU comes in one read on loopback.
const answered = (socket: tls.TLSSocket) =>
  new Promise((r) => (socket.once("data", r), socket.once("close", r)));
const A_ABORT = new Uint8Array([7, 0, 0, 0, 0, 4, 0, 0, 0, 0]);

// SOP Class and Instance UID in implicit VR little endian, the transfer syntax `associate` offers.
function implicitUids(o: { sopClassUid: string; sopInstanceUid: string }): Uint8Array {
  return concat([[0x0016, o.sopClassUid], [0x0018, o.sopInstanceUid]].map(([element, uid]) => {
    const value = ascii(String(uid).length % 2 ? `${uid}\0` : String(uid));
    const out = new Uint8Array(8 + value.length);
    const view = new DataView(out.buffer);
    view.setUint16(0, 0x0008, true);
    view.setUint16(2, Number(element), true);
    view.setUint32(4, value.length, true);
    out.set(value, 8);
    return out;
  }));
}

async function storeAbort(socket: tls.TLSSocket, whole: number): Promise<void> {
  for (let i = 0; i <= whole; i++) {
    const uid = { sopClassUid: SECONDARY_CAPTURE, sopInstanceUid: `2.25.${i + 1}` };
    socket.write(storeRqPdu(3, { ...uid, messageId: i + 1 }));
    socket.write(pDataPdu(3, false, i < whole, implicitUids(uid)));
    if (i < whole) await answered(socket);
  }
  socket.write(A_ABORT);
  await sleep(100);
  socket.destroy();
}

async function main([mode, host, portText, called, arg]: string[]) {
  const port = Number(portText);
  if (mode === "flood") await flood(port, called);
  if (mode === "read-flood") await readingFlood(await associate(host, port, called));
  if (mode === "trickle") {
    const socket = await associate(host, port, called);
    socket.write(storeRqPdu(3, { sopClassUid: SECONDARY_CAPTURE, sopInstanceUid: "1.2.3.4" }));
    // A P-DATA-TF declaring 0xFFFFFFF0 bytes: its header, then a byte at a time.
    const head = pDataPdu(3, false, false, new Uint8Array(0)).subarray(0, 6);
    new DataView(head.buffer, head.byteOffset).setUint32(2, 0xffff_fff0);
    socket.write(head);
    while (!socket.destroyed) (socket.write(new Uint8Array([0x02])), await sleep(100));
  }
  if (mode === "trickle-slow") {
    const socket = await associate(host, port, called);
    socket.write(storeRqPdu(3, { sopClassUid: SECONDARY_CAPTURE, sopInstanceUid: "1.2.3.4" }));
    // A data set whose Pixel Data declares 0xFFFFFFF0 bytes, in 16 KiB P-DATA-TFs, a byte at a time.
    const head = datasetHead({
      sopClassUid: SECONDARY_CAPTURE,
      sopInstanceUid: "1.2.3.4",
      pixelLength: 0xffff_fff0,
    });
    const pdu = pDataPdu(3, false, false, concat([head, new Uint8Array(16_000 - head.length)]));
    for (let at = 0; !socket.destroyed; at = (at + 1) % pdu.length) {
      socket.write(pdu.subarray(at, at + 1));
      await sleep(100);
    }
  }
  if (mode === "big-rq") {
    const socket = await connectTls(host, port);
    // `user`: one context and a 64 KiB user-information item; else 128 contexts.
    const user = arg === "user";
    socket.write(hostileAssociateRq({
      called: ae(called),
      calling: HOSTILE_AE_BYTES,
      contexts: user ? 1 : 128,
      versionNameBytes: user ? 65_535 - 4 - 8 - 4 - 7 - 4 : 64,
    }));
    await new Promise((r) => (socket.once("data", r), socket.once("close", r)));
    socket.destroy();
  }
  if (mode === "burst") {
    const sockets = Array.from({ length: Number(arg) }, () => {
      const s = net.connect({ host, port });
      s.on("error", () => {});
      s.on("connect", () => s.write(HALF_CLIENT_HELLO));
      return s;
    });
    await sleep(60_000);
    sockets.forEach((s) => s.destroy());
  }
  if (mode === "store-abort") await storeAbort(await associate(host, port, called), Number(arg));
  if (mode === "unproposed-context") {
    const socket = await associate(host, port, called);
    socket.write(echoRqPdu(1, 1));
    await answered(socket);
    socket.write(echoRqPdu(5, 2));
    await answered(socket);
    socket.destroy();
  }
  if (mode === "keep-connecting") {
    Deno.addSignalListener("SIGTERM", () => {});
    for (;;) {
      connectTls(host, port).then((s) => s.destroy(), () => {});
      await sleep(20);
    }
  }
}

if (import.meta.main) await main(Deno.args);
