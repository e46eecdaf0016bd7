import type { Duplex } from "node:stream";
import type { PduTrace } from "../outcome/mod.ts";
import { decodePdu } from "./decode.ts";
import { encodePdu } from "./encode.ts";
import { AssociationTimeout, ConnectionClosed, IllegalEvent } from "./errors.ts";
import { SendDeadline, untilDeadline } from "./_send_deadline.ts";
import { PduFramer } from "./framer.ts";
import {
  type AAssociateAc,
  type AAssociateRj,
  type AAssociateRq,
  type Pdu,
  PDU_TYPE_CODES,
  type Pdv,
} from "./pdu.ts";
import { PduError, PduLengthExceeded } from "./pdu_error.ts";
import { type Action, type Event, type State, transition } from "./state_machine.ts";
import {
  ACTION_HANDLERS,
  type ActionData,
  type EventData,
  type Indication,
  type Provider,
} from "./_actions.ts";

export type { Indication };
import { pduFields } from "./trace.ts";

const RECEIVED: Record<Pdu["type"], Event> = {
  "A-ASSOCIATE-AC": "Evt3",
  "A-ASSOCIATE-RJ": "Evt4",
  "A-ASSOCIATE-RQ": "Evt6",
  "P-DATA-TF": "Evt10",
  "A-RELEASE-RQ": "Evt12",
  "A-RELEASE-RP": "Evt13",
  "A-ABORT": "Evt16",
};

export interface EngineOptions {
  role: "requestor" | "acceptor";
  socket: Duplex;
  /** Largest PDU body the framer accepts. */
  maxReceiveLength: number;
  artimMs: number;
  /** performance.now() by which every wait ends (ARTIM, a close, a drain); none: no bound. */
  deadline?: number;
  onPdu?: (trace: PduTrace) => void;
  /** performance.now() when the connection began, for PduTrace.atMs. */
  traceOrigin: number;
}

/**
 * Indications (P-DATA, ...) the user may leave unread before the engine
 * stops reading the transport: a user that lags, e.g. because its own
 * writes wait for a peer that does not read them, holds the peer back
 * through TCP instead of filling our memory.
 */
export const MAX_QUEUED_INDICATIONS = 4;

/**
 * The PS3.8 protocol machine for one transport connection: one async read
 * loop turns bytes into events, `TRANSITIONS` picks the action, actions send
 * PDUs, start/stop ARTIM, close the transport and queue indications.
 */
export class Engine implements Provider {
  readonly role: "requestor" | "acceptor";
  readonly socket: Duplex;
  state: State = "Sta1";
  rq?: AAssociateRq;
  ac?: AAssociateAc;
  /** Set once the association ended abnormally (rejected, aborted, closed, bad PDU). */
  failure?: Error;
  released = false;
  /** ARTIM timer duration (PS3.8 9.1.5). */
  artimMs: number;
  /** The running (or last) ARTIM timer: its length, and whether our deadline cut it short. */
  artim: { ms: number; cut: boolean } = { ms: 0, cut: false };
  /** performance.now() by which every wait of this association ends; Infinity: none. */
  readonly deadline: number;
  /** Resolves once the transport connection is closed. */
  readonly closed: Promise<void>;
  #options: EngineOptions;
  #framer: PduFramer;
  #artim?: ReturnType<typeof setTimeout>;
  #queue: Indication[] = [];
  /**
   * PDUs framed but not yet run, held while the user lags (with the
   * transport paused); a framing fault last.
   */
  #held: (Uint8Array | PduError)[] = [];
  #heldAt = 0;
  #readingPaused = false;
  #sends: SendDeadline;
  #waiter?: { resolve: (i: Indication) => void; reject: (e: Error) => void };
  /** The A-ASSOCIATE-RJ the provider itself sends (AE-6, an unacceptable request). */
  pendingReject?: AAssociateRj;
  /** The transport's last error, kept for the report of a close. */
  lastError?: Error;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.artimMs = options.artimMs;
    this.deadline = options.deadline ?? Infinity;
    this.role = options.role;
    this.socket = options.socket;
    this.#framer = new PduFramer({ maxLength: options.maxReceiveLength });
    this.#sends = new SendDeadline(options.socket, this.deadline);
    const socket = options.socket;
    // A late 'error' (e.g. EPIPE after close) must not become an uncaught exception.
    socket.on("error", (e: Error) => (this.lastError = e));
    this.closed = new Promise((resolve) => {
      if (socket.destroyed && (socket as { closed?: boolean }).closed) resolve();
      else socket.once("close", () => resolve());
    });
    this.#readLoop();
  }

  // ---- user side ----------------------------------------------------------

  /** A-ASSOCIATE request (Evt1): AE-1, then AE-2 once the transport is connected. */
  request(rq: AAssociateRq): void {
    this.rq = rq;
    this.#local("Evt1");
  }

  /** The transport connection is open (Evt5): AE-5 starts ARTIM. */
  listen(): void {
    this.#local("Evt5");
  }

  accept(ac: AAssociateAc): void {
    this.ac = ac;
    this.#local("Evt7", { pdu: ac });
  }

  reject(rj: AAssociateRj): void {
    this.#local("Evt8", { pdu: rj });
  }

  /** P-DATA request (Evt9), then the wait for the peer to read it; both end by the deadline. */
  async sendPData(pdvs: Pdv[]): Promise<void> {
    this.#sends.check(this.state, () => this.#peerMaxLength());
    this.#local("Evt9", { pdu: { type: "P-DATA-TF", pdvs } });
    await this.#sends.sent(this.state);
  }

  // The peer's maximum P-DATA-TF length, in words for a timeout.
  #peerMaxLength(): string {
    const max = (this.role === "requestor" ? this.ac : this.rq)?.userInformation.maxPduLength;
    return max ? `its maximum length ${max} bytes` : "no maximum length";
  }

  releaseRequest(): void {
    this.#local("Evt11");
  }

  releaseResponse(): void {
    this.#local("Evt14");
  }

  abort(): void {
    this.#local("Evt15");
  }

  /**
   * Stops waiting for the peer: abort if the association is still up, then
   * close the transport without waiting for ARTIM. Resolves once closed.
   */
  async giveUp(): Promise<void> {
    if (this.state !== "Sta1" && this.state !== "Sta13" && this.state !== "Sta2") this.abort();
    if (this.state === "Sta13" || this.state === "Sta2") this.#event("Evt18");
    await this.closed;
  }

  /** Milliseconds until the deadline (at least 1), or `ms` when that comes first. */
  bounded(ms: number): number {
    return untilDeadline(this.deadline, ms);
  }

  /** How many P-DATA indications came that nobody has taken yet. */
  get unreadPData(): number {
    return this.#queue.filter((i) => i.kind === "P-DATA").length;
  }

  /** The next indication; rejects with the failure once the association ended. */
  next(options: { timeoutMs: number; waitingFor: string }): Promise<Indication> {
    const queued = this.#queue.shift();
    if (queued) {
      this.#runHeld();
      return Promise.resolve(queued);
    }
    if (this.state === "Sta1" || this.failure) return Promise.reject(this.#ended());
    if (this.#waiter) throw new Error("Cannot wait twice: one receive at a time");
    const timeoutMs = this.bounded(options.timeoutMs);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new AssociationTimeout({ ...options, timeoutMs, state: this.state }));
      }, timeoutMs);
      this.#waiter = {
        resolve: (i) => (clearTimeout(timer), resolve(i)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
    });
  }

  #ended(): Error {
    return this.failure ??
      new ConnectionClosed({ state: this.state, cause: "association released" });
  }

  indicate(i: Indication): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    if (w) w.resolve(i);
    else this.#queue.push(i);
  }

  fail(error: Error): void {
    this.failure ??= error;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.reject(this.failure);
  }

  // ---- the protocol machine -----------------------------------------------

  /** An event the provider raises itself (Provider.raise). */
  raise(event: Event): void {
    this.#event(event);
  }

  /** A local primitive: not allowed in this state is the caller's error. */
  #local(event: Event, data: EventData = {}): void {
    if (!this.#event(event, data)) throw new IllegalEvent({ state: this.state, event });
  }

  /** Runs one transition; false when Table 9-10 has no cell for it. */
  #event(event: Event, data: EventData = {}): boolean {
    const from = this.state;
    const acceptable = event === "Evt6" ? this.#acceptable(data.pdu as AAssociateRq) : true;
    const t = transition({ state: from, event, requestor: this.role === "requestor", acceptable });
    if (!t) return false;
    this.state = t.next;
    this.#act(t.action, { from, event, ...data });
    if (this.state === "Sta1") this.#toIdle();
    return true;
  }

  #acceptable(rq: AAssociateRq): boolean {
    // PS3.8 9.3.2: bit 0 is protocol version 1, the only one.
    if ((rq.protocolVersion & 1) === 1) return true;
    this.pendingReject = {
      type: "A-ASSOCIATE-RJ",
      result: "rejected-permanent",
      source: "service-provider-acse",
      reason: "protocol-version-not-supported",
    };
    return false;
  }

  #act(action: Action, d: ActionData): void {
    ACTION_HANDLERS[action](this, d);
  }

  #toIdle(): void {
    this.stopArtim();
    this.closeTransport();
    if (!this.failure && !this.released) this.fail(new ConnectionClosed({ state: "Sta1" }));
    // Waiters still pending after a clean release learn that it is over.
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.reject(this.#ended());
  }

  startArtim(): void {
    this.stopArtim();
    // PS3.8's ARTIM, but never past our deadline: a case's time bounds every wait.
    const ms = this.bounded(this.artimMs);
    this.artim = { ms, cut: ms < this.artimMs };
    this.#artim = setTimeout(() => {
      this.#artim = undefined;
      this.#event("Evt18");
    }, ms);
  }

  stopArtim(): void {
    if (this.#artim !== undefined) clearTimeout(this.#artim);
    this.#artim = undefined;
  }

  // ---- transport ----------------------------------------------------------

  send(pdu: Pdu): void {
    const bytes = encodePdu(pdu);
    this.#trace("sent", pdu.type, bytes.length, () => pduFields(pdu));
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  closeTransport(): void {
    const s = this.socket;
    if (s.destroyed) return;
    // end() flushes what we wrote (an A-ABORT, an A-RELEASE-RP) before the FIN.
    s.end(() => s.destroy());
    const fallback = setTimeout(() => s.destroy(), this.bounded(this.artimMs));
    s.once("close", () => clearTimeout(fallback));
  }

  #trace(
    direction: PduTrace["direction"],
    type: string,
    length: number,
    fields: () => PduTrace["fields"],
  ): void {
    // Fields are made only for someone who takes them: a P-DATA-TF may hold thousands of PDVs.
    const onPdu = this.#options.onPdu;
    if (!onPdu) return;
    try {
      onPdu({
        direction,
        type,
        length,
        atMs: Math.round((performance.now() - this.#options.traceOrigin) * 1000) / 1000,
        fields: fields(),
      });
    } catch { /* a reporting callback must not break the protocol */ }
  }

  // Listeners rather than `for await`: the async iterator costs promises per
  // chunk and builds an ERR_STREAM_PREMATURE_CLOSE, stack and all, whenever
  // the socket closes without an 'end' (each time we close it ourselves):
  // about a third of our CPU per association in a C-ECHO loop.
  #readLoop(): void {
    const socket = this.socket;
    let ended = false;
    let first: Error | undefined;
    const end = () => {
      if (ended) return;
      ended = true;
      this.#event("Evt17", { socketError: first ?? this.lastError });
    };
    socket.once("error", (e: Error) => (first = e));
    socket.on("data", (chunk: Uint8Array) => this.#onBytes(chunk));
    socket.once("end", end);
    socket.once("close", end);
    if (socket.destroyed) queueMicrotask(end);
  }

  /**
   * Set once nothing more the peer sends can matter: after an invalid PDU
   * (the stream cannot be resynchronised) or a PDU in Sta13 (only the close
   * is awaited). Later bytes are dropped unread, so a peer that floods us
   * gets one answer, not one per PDU, and nothing of it is kept.
   */
  #discarding = false;

  /** A method, so that TypeScript does not narrow `state` across actions. */
  #idle(): boolean {
    return this.state === "Sta1";
  }

  #onBytes(chunk: Uint8Array): void {
    if (this.#discarding || this.#idle()) return;
    let pdus: Uint8Array[];
    try {
      pdus = this.#framer.push(chunk);
    } catch {
      pdus = []; // the fault, read from the framer below
    }
    for (const pdu of pdus) this.#held.push(pdu);
    // A framing fault comes after the PDUs framed before it, whenever those run.
    const fault = this.#framer.failure;
    if (fault) {
      this.#discarding = true;
      this.#held.push(fault);
    }
    this.#runHeld();
  }

  /**
   * Runs the held PDUs while the user keeps up; past
   * {@linkcode MAX_QUEUED_INDICATIONS} unread it pauses the transport, and
   * `next()` resumes it.
   */
  #runHeld(): void {
    while (this.#heldAt < this.#held.length && !this.#idle()) {
      if (this.#queue.length >= MAX_QUEUED_INDICATIONS) return this.#pauseReading();
      this.#runPdu(this.#held[this.#heldAt++]);
    }
    this.#held = [];
    this.#heldAt = 0;
    if (this.#readingPaused) {
      this.#readingPaused = false;
      this.socket.resume();
    }
  }

  #pauseReading(): void {
    if (this.#readingPaused) return;
    this.#readingPaused = true;
    this.socket.pause();
  }

  #runPdu(item: Uint8Array | PduError): void {
    const closing = this.state === "Sta13";
    const invalid = item instanceof PduError ? this.#framingFault(item) : this.#decoded(item);
    // One invalid PDU, or one PDU while we wait for the close, is all we answer.
    if (closing || invalid) this.#discard();
  }

  /** Runs one whole PDU; true when it was invalid. */
  #decoded(bytes: Uint8Array): boolean {
    const pdu = decodePdu(bytes);
    if (pdu instanceof PduError) {
      this.#trace("received", pduName(bytes[0]), bytes.length, () => ({ error: pdu.message }));
      this.#event("Evt19", { error: pdu });
      return true;
    }
    this.#trace("received", pdu.type, bytes.length, () => pduFields(pdu));
    this.#event(RECEIVED[pdu.type], { pdu });
    return false;
  }

  // The header the framer refused: its declared length when it had one, else the type byte alone.
  #framingFault(error: PduError): true {
    const length = error instanceof PduLengthExceeded ? error.declaredLength + 6 : 1;
    this.#trace("received", pduName(this.#framer.pduType), length, () => ({
      error: error.message,
    }));
    this.#event("Evt19", { error });
    return true;
  }

  #discard(): void {
    this.#discarding = true;
    this.#held = [];
    this.#heldAt = 0;
  }
}

const NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(PDU_TYPE_CODES).map(([name, code]) => [code, name]),
);

function pduName(code: number | undefined): string {
  return NAMES[code ?? 0] ?? `unknown PDU type 0x${(code ?? 0).toString(16)}`;
}
