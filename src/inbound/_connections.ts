import type { InboundConnection } from "../outcome/mod.ts";
import type { AcceptedTls, PendingTls, RefusedTls } from "../tls/mod.ts";
import { type ConnectionRecord, type InboundContext, recordAccepted } from "./connection.ts";
import { recordRefused } from "./refused.ts";

/** The most connections of one case recorded; later ones are closed at once. */
export const MAX_CONNECTIONS = 16;

/** Every connection of one inbound case, in the order they came. */
export class Connections {
  #records: Promise<ConnectionRecord>[] = [];
  #stops: ((why: string) => void)[] = [];
  // Connections accepted over TCP whose handshake has not ended: their record comes under their peer.
  #pending = new Map<string, { done(record: Promise<ConnectionRecord>): void; index: number }[]>();
  #first = Promise.withResolvers<void>();
  #stopped: string | undefined;
  #ctx: InboundContext;

  constructor(ctx: InboundContext) {
    this.#ctx = ctx;
  }

  /** Resolves once the first connection came (over TCP: its handshake may not have ended). */
  get first(): Promise<void> {
    return this.#first.promise;
  }

  /** How many came. */
  get count(): number {
    return this.#records.length;
  }

  /** The first connection's record, once it closed. */
  firstRecord(): Promise<ConnectionRecord> | undefined {
    return this.#records[0];
  }

  /** For listenTls's `onAccepted`: the connection counts from now on, its handshake still to come. */
  pending(pending: PendingTls): void {
    if (this.#records.length >= MAX_CONNECTIONS) {
      pending.stop("too many connections");
      return;
    }
    const record = Promise.withResolvers<ConnectionRecord>();
    const index = this.#add(record.promise, (why) => pending.stop(why));
    const waiting = this.#pending.get(pending.peer) ?? [];
    waiting.push({ done: record.resolve, index });
    this.#pending.set(pending.peer, waiting);
    if (this.#stopped) pending.stop(this.#stopped);
  }

  /** For listenTls's `onConnection`. */
  accepted(accepted: AcceptedTls): void {
    const entry = this.#take(accepted.peer);
    if (!entry) {
      accepted.socket.destroy();
      return;
    }
    const c = recordAccepted(accepted, this.#ctx);
    this.#stops[entry.index] = c.stop;
    entry.done(c.record);
    if (this.#stopped) c.stop(this.#stopped);
  }

  /** For listenTls's `onRefused`. */
  refused(refused: RefusedTls): void {
    this.#take(refused.peer)?.done(Promise.resolve(recordRefused(refused, this.#ctx)));
  }

  #take(peer: string) {
    const waiting = this.#pending.get(peer);
    const entry = waiting?.shift();
    if (waiting?.length === 0) this.#pending.delete(peer);
    return entry;
  }

  #add(record: Promise<ConnectionRecord>, stop: (why: string) => void): number {
    this.#records.push(record);
    this.#stops.push(stop);
    this.#first.resolve();
    return this.#records.length - 1;
  }

  /** Resolves once every connection so far has closed. */
  async settled(): Promise<void> {
    let n = -1;
    // A connection may come while we wait for the others.
    while (n !== this.#records.length) {
      n = this.#records.length;
      await Promise.all(this.#records);
    }
  }

  /**
   * Ends every open connection now, and any that comes later at once: what
   * happens to them from here on is our doing (a handshake still open
   * becomes our `timeout`, not the client's refusal).
   */
  stopAll(why: string): void {
    this.#stopped ??= why;
    this.#stops.forEach((stop) => stop(why));
  }

  /** Every record, once each closed, with the summary line of each. */
  async all(): Promise<{ records: ConnectionRecord[]; summary: InboundConnection[] }> {
    const records = await Promise.all(this.#records);
    return { records, summary: records.map(summarise) };
  }
}

function summarise(r: ConnectionRecord): InboundConnection {
  return {
    peer: r.peerAddress ?? "",
    atMs: r.atMs,
    tls: r.tls?.status ?? "error",
    ...(r.clientHello ? { offeredVersions: r.clientHello.offeredVersions } : {}),
    ...(r.clientHello?.olderVersionsUnknown ? { olderVersionsUnknown: true } : {}),
    ...(r.tls?.alert ? { alert: r.tls.alert } : {}),
    associationRequested: r.associationRequest !== undefined,
  };
}
