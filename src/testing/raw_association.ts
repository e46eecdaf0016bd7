/**
 * A raw association for the hardening tests of issue 14: a TLS client that
 * associates and then speaks PDUs of its own making, so that it can
 * misbehave (flood requests without reading, send a message on a context it
 * never proposed, stream a data set of any size without holding it).
 *
 * @module
 */
import net from "node:net";
import { Duplex } from "node:stream";
import tls from "node:tls";
import { type CommandSet, decodeCommand, encodeCommand } from "../dimse/command.ts";
import {
  type AAssociateRq,
  concatBytes,
  encodePdu,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  type PresentationContextRq,
  VERIFICATION_SOP_CLASS,
} from "../ul/mod.ts";
import { part10Bytes } from "../part10/mod.ts";
import { pkiFile, type PkiResult } from "./pki.ts";

/** Secondary Capture Image Storage: what the hostile stores send. */
export const SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

/** A TLS connection with an association on it, read by hand (the hostile side does not use the engine). */
export interface RawAssociation {
  /** The plaintext side; nothing reads it unless the test does. */
  socket: Duplex;
  /** The A-ASSOCIATE-AC's presentation context results, by context ID: 0 is acceptance. */
  results: Map<number, number>;
  /** Writes bytes, waiting for 'drain' when the socket asks for it. */
  write(bytes: Uint8Array): Promise<void>;
  /** Stops reading the TCP connection for good: the peer's writes then block. */
  stopReading(): void;
  /** Drops the connection. */
  close(): void;
}

/** Options of {@linkcode rawAssociation}. */
export interface RawAssociationOptions {
  /** Its `client` certificate is presented; without it, none. */
  pki?: PkiResult;
  port: number;
  /** Default REFAE. */
  calledAe?: string;
  /** Proposed contexts; default Verification (1) and Secondary Capture (3), both little endian. */
  contexts?: PresentationContextRq[];
  /** Our maximum PDU length as announced; default 16 384. */
  maxPduLength?: number;
  callingAe?: string;
}

/**
 * Opens TLS (with the PKI's `client`) and an association to REFAE, reading
 * the A-ASSOCIATE-AC by hand; afterwards nothing reads the socket (it is
 * paused) unless the test does.
 *
 * @example
 * ```ts
 * import { rawAssociation } from "./raw_association.ts";
 * import type { PkiResult } from "./pki.ts";
 * declare const pki: PkiResult;
 * const a = await rawAssociation({ pki, port: 11112 });
 * a.close();
 * ```
 */
export async function rawAssociation(options: RawAssociationOptions): Promise<RawAssociation> {
  const socket = await tlsThroughValve(options);
  const rq: AAssociateRq = {
    type: "A-ASSOCIATE-RQ",
    protocolVersion: 1,
    calledAe: options.calledAe ?? "REFAE",
    callingAe: options.callingAe ?? "HOSTILE",
    applicationContext: "1.2.840.10008.3.1.1.1",
    presentationContexts: options.contexts ?? [
      {
        id: 1,
        abstractSyntax: VERIFICATION_SOP_CLASS,
        transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
      },
      { id: 3, abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT_VR_LITTLE_ENDIAN] },
    ],
    userInformation: {
      maxPduLength: options.maxPduLength ?? 16_384,
      implementationClassUid: "1.2.3",
    },
  };
  socket.write(encodePdu(rq));
  const ac = await readPdu(socket, 10_000);
  if (ac[0] !== 0x02) {
    socket.destroy();
    throw new Error(`expected A-ASSOCIATE-AC, got PDU type ${ac[0]}`);
  }
  socket.pause();
  return {
    socket,
    results: contextResults(ac),
    write: (bytes) => writeDrained(socket, bytes),
    stopReading: () => socket.valve.close(),
    close: () => socket.destroy(),
  };
}

/** A TLS socket over a {@linkcode Valve}, so that the test can stop reading at the TCP level. */
type ValvedTls = tls.TLSSocket & { valve: Valve };

async function tlsThroughValve(options: RawAssociationOptions): Promise<ValvedTls> {
  const tcp = net.connect({ host: "127.0.0.1", port: options.port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    tcp.once("connect", () => resolve());
    tcp.once("error", reject);
  });
  tcp.on("error", () => {});
  const valve = new Valve(tcp);
  const pki = options.pki;
  const socket = tls.connect({
    socket: valve,
    ...(pki
      ? {
        cert: await Deno.readTextFile(pkiFile(pki, "client", "crt")),
        key: await Deno.readTextFile(pkiFile(pki, "client", "key")),
      }
      : {}),
    rejectUnauthorized: false,
  }) as ValvedTls;
  socket.valve = valve;
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("secureConnect", () => resolve());
    socket.once("close", () => reject(new Error(`TLS to ${options.port} closed in the handshake`)));
  });
  return socket;
}

/**
 * A Duplex over a TCP socket that forwards both ways until `close()`: then
 * the TCP socket is no longer read at all, so the peer's writes fill the
 * kernel's buffers and block (whatever the TLS layer above would read).
 */
class Valve extends Duplex {
  #tcp: net.Socket;
  #closed = false;

  constructor(tcp: net.Socket) {
    super();
    this.#tcp = tcp;
    tcp.on("data", (chunk: Uint8Array) => {
      if (!this.push(chunk)) tcp.pause();
    });
    tcp.once("end", () => this.push(null));
    tcp.once("close", () => this.destroy());
  }

  /** Stops reading the TCP socket for good. */
  close(): void {
    this.#closed = true;
    this.#tcp.pause();
  }

  override _read(): void {
    if (!this.#closed) this.#tcp.resume();
  }

  override _write(chunk: Uint8Array, _: string, done: (error?: Error | null) => void): void {
    if (this.#tcp.write(chunk)) done();
    else this.#tcp.once("drain", () => done());
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.#tcp.destroy();
    done(error);
  }
}

/** Reads one whole PDU from a socket (then stops reading). */
export function readPdu(socket: Duplex, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let buffered: Uint8Array = new Uint8Array(0);
    const done = (error?: Error, pdu?: Uint8Array) => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      if (error) reject(error);
      else resolve(pdu!);
    };
    const onData = (chunk: Uint8Array) => {
      buffered = concatBytes([buffered, chunk]);
      if (buffered.length < 6) return;
      const length = new DataView(buffered.buffer, buffered.byteOffset).getUint32(2);
      if (buffered.length < 6 + length) return;
      socket.pause();
      const rest = buffered.subarray(6 + length);
      if (rest.length) socket.unshift(rest);
      done(undefined, buffered.slice(0, 6 + length));
    };
    const onClose = () => done(new Error("the connection closed before a whole PDU came"));
    const timer = setTimeout(
      () => done(new Error(`no whole PDU within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.resume();
  });
}

/** P-DATA-TF bytes with one PDV. */
export function pDataPdu(
  contextId: number,
  isCommand: boolean,
  isLast: boolean,
  data: Uint8Array,
): Uint8Array {
  return encodePdu({ type: "P-DATA-TF", pdvs: [{ contextId, isCommand, isLast, data }] });
}

/** A C-ECHO-RQ on context `contextId` as one P-DATA-TF. */
export function echoRqPdu(contextId: number, messageId: number): Uint8Array {
  return pDataPdu(
    contextId,
    true,
    true,
    encodeCommand({
      CommandField: 0x0030,
      MessageID: messageId,
      AffectedSOPClassUID: VERIFICATION_SOP_CLASS,
      CommandDataSetType: 0x0101,
    }),
  );
}

/** A C-STORE-RQ command set on context `contextId` as one P-DATA-TF (a data set follows). */
export function storeRqPdu(
  contextId: number,
  options: { messageId?: number; sopClassUid: string; sopInstanceUid: string },
): Uint8Array {
  return pDataPdu(
    contextId,
    true,
    true,
    encodeCommand({
      CommandField: 0x0001,
      MessageID: options.messageId ?? 1,
      AffectedSOPClassUID: options.sopClassUid,
      AffectedSOPInstanceUID: options.sopInstanceUid,
      Priority: 0,
      CommandDataSetType: 0x0000,
    }),
  );
}

/**
 * The start of an explicit VR little endian data set: SOP Class and
 * Instance UID, then the header of Pixel Data (7FE0,0010) OB of
 * `pixelLength` bytes, whose value the caller sends (or, with
 * `pixelLength` 0, a whole small data set).
 */
export function datasetHead(
  options: { sopClassUid: string; sopInstanceUid: string; pixelLength?: number },
): Uint8Array {
  const ui = (group: number, element: number, value: string) => {
    const text = new TextEncoder().encode(value.length % 2 ? `${value}\0` : value);
    const out = new Uint8Array(8 + text.length);
    const view = new DataView(out.buffer);
    view.setUint16(0, group, true);
    view.setUint16(2, element, true);
    out.set([0x55, 0x49], 4); // "UI"
    view.setUint16(6, text.length, true);
    out.set(text, 8);
    return out;
  };
  const pixels = new Uint8Array(12);
  const view = new DataView(pixels.buffer);
  view.setUint16(0, 0x7fe0, true);
  view.setUint16(2, 0x0010, true);
  pixels.set([0x4f, 0x42], 4); // "OB", then two reserved bytes
  view.setUint32(8, options.pixelLength ?? 0, true);
  return concatBytes([
    ui(0x0008, 0x0016, options.sopClassUid),
    ui(0x0008, 0x0018, options.sopInstanceUid),
    pixels,
  ]);
}

/**
 * A Part 10 file of Secondary Capture (explicit VR little endian) whose
 * data set is {@linkcode datasetHead} and `pixelLength` zero bytes of
 * pixel data: a file of any size for `dicomtls store`.
 *
 * @example
 * ```ts
 * import { secondaryCaptureFile } from "./raw_association.ts";
 * await Deno.writeFile("big.dcm", secondaryCaptureFile({ sopInstanceUid: "2.25.1", pixelLength: 1 << 20 }));
 * ```
 */
export function secondaryCaptureFile(
  options: { sopInstanceUid: string; pixelLength: number },
): Uint8Array {
  const head = datasetHead({ sopClassUid: SECONDARY_CAPTURE, ...options });
  const dataset = new Uint8Array(head.length + options.pixelLength);
  dataset.set(head);
  return part10Bytes({
    dataset,
    transferSyntax: EXPLICIT_VR_LITTLE_ENDIAN,
    sopClassUid: SECONDARY_CAPTURE,
    sopInstanceUid: options.sopInstanceUid,
  });
}

/** Options of {@linkcode sendStore}. */
export interface SendStoreOptions {
  contextId: number;
  sopClassUid: string;
  sopInstanceUid: string;
  /** Bytes of pixel data after the head: zeros, generated as they are sent (never held). */
  pixelLength?: number;
  /** Send only this many data set bytes, then stop (the message never completes). */
  stopAfter?: number;
  /** Largest PDV data; default 16 372 (a 16 KiB PDU). */
  maxPdv?: number;
}

/**
 * Sends a C-STORE-RQ and its data set (the head, then `pixelLength` zero
 * bytes) in PDVs, waiting for 'drain' as it goes: memory stays flat
 * whatever the size. Resolves once everything is written.
 */
export async function sendStore(association: RawAssociation, o: SendStoreOptions): Promise<void> {
  const pixelLength = o.pixelLength ?? 0;
  const head = datasetHead({ ...o, pixelLength });
  const total = head.length + pixelLength;
  const max = o.maxPdv ?? 16_372;
  const zeros = new Uint8Array(max);
  await association.write(storeRqPdu(o.contextId, o));
  const end = Math.min(total, o.stopAfter ?? total);
  for (let at = 0; at < end;) {
    const n = Math.min(max, end - at);
    const data = at < head.length
      ? concatBytes([head.subarray(at, at + n), zeros]).subarray(0, n)
      : zeros.subarray(0, n);
    at += n;
    await association.write(pDataPdu(o.contextId, false, at === total, data));
    // Writes that complete at once never yield: let the rest of this process (other clients) run.
    if (at % (1024 * 1024) < n) await new Promise((r) => setTimeout(r, 0));
  }
}

/** What came back for a request: the command set of the response, or an A-ABORT. */
export type Answer = { command: CommandSet } | { abort: true } | { other: number };

/** Reads the next PDU: a response command set (one PDV), an A-ABORT, or another PDU type. */
export async function readAnswer(association: RawAssociation, timeoutMs = 10_000): Promise<Answer> {
  const pdu = await readPdu(association.socket, timeoutMs);
  if (pdu[0] === 0x07) return { abort: true };
  if (pdu[0] !== 0x04) return { other: pdu[0] };
  // P-DATA-TF: item length (4), context ID (1), control header (1), then the command set.
  return { command: decodeCommand(pdu.subarray(12)) };
}

/** Options of {@linkcode floodEchoes}. */
export interface FloodOptions extends RawAssociationOptions {
  /** How long to keep writing. */
  durationMs: number;
}

/**
 * Sends C-ECHO-RQs as fast as the connection takes them for `durationMs`
 * and never reads an answer; resolves with the number sent, the
 * connection still open (the caller closes it).
 *
 * @example
 * ```ts
 * import { floodEchoes } from "./raw_association.ts";
 * import type { PkiResult } from "./pki.ts";
 * declare const pki: PkiResult;
 * const { sent, association } = await floodEchoes({ pki, port: 11112, durationMs: 1000 });
 * association.close();
 * ```
 */
export async function floodEchoes(
  options: FloodOptions,
): Promise<{ sent: number; association: RawAssociation }> {
  const association = await rawAssociation(options);
  association.stopReading();
  // 256 requests per write: the flood is limited by the connection, not by us.
  const batch = concatBytes(Array.from({ length: 256 }, (_, i) => echoRqPdu(1, i + 1)));
  const end = performance.now() + options.durationMs;
  let sent = 0;
  while (performance.now() < end && !association.socket.destroyed) {
    const written = association.write(batch);
    const timedOut = new Promise<boolean>((r) =>
      setTimeout(() => r(true), Math.max(1, end - performance.now()))
    );
    if (await Promise.race([written.then(() => false), timedOut])) break;
    sent += 256;
  }
  return { sent, association };
}

/** Writes bytes and waits for 'drain' when the socket asks for it (or it closed). */
export function writeDrained(socket: Duplex, bytes: Uint8Array): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  if (socket.write(bytes)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => (socket.off("drain", done), socket.off("close", done), resolve());
    socket.once("drain", done);
    socket.once("close", done);
  });
}

function contextResults(ac: Uint8Array): Map<number, number> {
  const results = new Map<number, number>();
  // Items start after the 68 bytes of fixed fields (PS3.8 9.3.3).
  for (let at = 74; at + 4 <= ac.length;) {
    const type = ac[at], length = (ac[at + 2] << 8) | ac[at + 3];
    if (type === 0x21) results.set(ac[at + 4], ac[at + 6]);
    at += 4 + length;
  }
  return results;
}
