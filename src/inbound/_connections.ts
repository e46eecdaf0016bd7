import type { InboundConnection } from "../outcome/mod.ts";
import type { AcceptedTls, RefusedTls } from "../tls/mod.ts";
import { type ConnectionRecord, type InboundContext, recordAccepted } from "./connection.ts";
import { recordRefused } from "./refused.ts";

/** The most connections of one case recorded; later ones are closed at once. */
export const MAX_CONNECTIONS = 16;

/** Every connection of one inbound case, in the order they came. */
export class Connections {
  #records: Promise<ConnectionRecord>[] = [];
  #stops: ((why: string) => void)[] = [];
  #first = Promise.withResolvers<void>();
  #ctx: InboundContext;

  constructor(ctx: InboundContext) {
    this.#ctx = ctx;
  }

  /** Resolves once the first connection came (handshake done or not). */
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

  /** For listenTls's `onConnection`. */
  accepted(accepted: AcceptedTls): void {
    if (this.#records.length >= MAX_CONNECTIONS) {
      accepted.socket.destroy();
      return;
    }
    const c = recordAccepted(accepted, this.#ctx);
    this.#add(c.record, c.stop);
  }

  /** For listenTls's `onRefused`. */
  refused(refused: RefusedTls): void {
    if (this.#records.length >= MAX_CONNECTIONS) return;
    this.#add(Promise.resolve(recordRefused(refused, this.#ctx)), () => {});
  }

  #add(record: Promise<ConnectionRecord>, stop: (why: string) => void) {
    this.#records.push(record);
    this.#stops.push(stop);
    this.#first.resolve();
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

  /** Ends every open connection now. */
  stopAll(why: string): void {
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
    ...(r.tls?.alert ? { alert: r.tls.alert } : {}),
    associationRequested: r.associationRequest !== undefined,
  };
}
