import type { Engine } from "./_engine.ts";
import { AssociationTimeout, ConnectionClosed } from "./errors.ts";
import type { AAssociateAc, AAssociateRq, Pdv } from "./pdu.ts";
import type { State } from "./state_machine.ts";

/** A presentation context both sides agreed on. */
export interface AcceptedContext {
  /** Presentation context ID. */
  id: number;
  /** The abstract syntax (SOP Class UID). */
  abstractSyntax: string;
  /** The transfer syntax the acceptor chose. */
  transferSyntax: string;
}

/**
 * The largest PDV data we send, whatever the peer may receive: a peer with
 * no maximum (0) or one of gigabytes got a data set as one PDU, a copy of
 * it and its TLS records on top (a 300 MB store: 1.3 GB, against 440 MB in
 * 16 KiB PDUs). PS3.8 lets a sender use any length up to the maximum.
 */
export const MAX_SENT_PDV_DATA = 1 << 20;

/** Default wait for the peer in {@linkcode Association.receivePData} and {@linkcode Association.release}. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * An established association (Sta6), as requestor or acceptor, over any
 * Duplex (net.Socket or tls.TLSSocket). Made by {@linkcode requestAssociation}
 * or {@linkcode acceptAssociation}. It moves P-DATA (DIMSE messages go on top,
 * see src/dimse/), releases and aborts; an A-ABORT, a closed connection or a
 * bad PDU from the peer surfaces as a typed error from whatever is waiting.
 *
 * @example
 * ```ts
 * import { requestAssociation } from "./request.ts";
 * import type { PresentationContextRq } from "./pdu.ts";
 * import type { Duplex } from "node:stream";
 * declare const socket: Duplex;
 * declare const presentationContexts: PresentationContextRq[];
 * const association = await requestAssociation({
 *   socket,
 *   callingAe: "SCU",
 *   calledAe: "SCP",
 *   presentationContexts,
 * });
 * console.log(association.acceptedContexts, association.peerMaxPduLength);
 * await association.release();
 * ```
 */
export class Association {
  #engine: Engine;

  /** @internal Use requestAssociation() or acceptAssociation(). */
  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /** Which side of the association we are. */
  get role(): "requestor" | "acceptor" {
    return this.#engine.role;
  }

  /** The current PS3.8 state (Sta6 while established, Sta1 once closed). */
  get state(): State {
    return this.#engine.state;
  }

  /** The A-ASSOCIATE-RQ (sent by us as requestor, received as acceptor). */
  get rq(): AAssociateRq {
    return this.#engine.rq!;
  }

  /** The A-ASSOCIATE-AC (received as requestor, sent as acceptor). */
  get ac(): AAssociateAc {
    return this.#engine.ac!;
  }

  /** The presentation contexts accepted, with their abstract syntax from the RQ. */
  get acceptedContexts(): AcceptedContext[] {
    const offered = new Map(this.rq.presentationContexts.map((pc) => [pc.id, pc.abstractSyntax]));
    return this.ac.presentationContexts
      .filter((pc) => pc.result === "acceptance" && offered.has(pc.id))
      .map((pc) => ({
        id: pc.id,
        abstractSyntax: offered.get(pc.id)!,
        transferSyntax: pc.transferSyntax ?? "",
      }));
  }

  /** The maximum P-DATA-TF length the peer can receive (0: unlimited). */
  get peerMaxPduLength(): number {
    const pdu = this.role === "requestor" ? this.ac : this.rq;
    return pdu.userInformation.maxPduLength ?? 0;
  }

  /**
   * The largest PDV data we send in one P-DATA-TF: the peer's maximum minus
   * 6 bytes of PDV header, and never over {@linkcode MAX_SENT_PDV_DATA}.
   */
  get maxPdvDataLength(): number {
    const max = this.peerMaxPduLength;
    return Math.min(MAX_SENT_PDV_DATA, max === 0 ? Infinity : Math.max(1, max - 6));
  }

  /** Resolves once the transport connection has closed (never rejects). */
  get closed(): Promise<void> {
    return this.#engine.closed;
  }

  /**
   * How many P-DATA-TFs came from the peer that {@linkcode receivePData}
   * has not yet given (the engine holds a few before it stops reading): a
   * peer that answers before our request is complete, or answers twice,
   * leaves some.
   */
  get unreadPData(): number {
    return this.#engine.unreadPData;
  }

  /** Whether A-RELEASE completed. */
  get released(): boolean {
    return this.#engine.released;
  }

  /**
   * Sends one P-DATA-TF with these PDVs (P-DATA request, Evt9). Throws
   * IllegalEvent when the state does not allow data (e.g. after release).
   */
  sendPData(pdvs: Pdv[]): Promise<void> {
    return this.#engine.sendPData(pdvs);
  }

  /**
   * The PDVs of the next P-DATA-TF, or `null` when the peer asked to release
   * (A-RELEASE indication: answer with {@linkcode release}). Rejects with
   * AssociationAborted, ConnectionClosed, PduError, ProtocolError or
   * AssociationTimeout.
   */
  async receivePData(options: { timeoutMs?: number } = {}): Promise<Pdv[] | null> {
    const i = await this.#engine.next({
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      waitingFor: "P-DATA-TF",
    });
    return i.kind === "P-DATA" ? i.pdu.pdvs : null;
  }

  /**
   * A-RELEASE. As the side asking (Sta6): sends A-RELEASE-RQ and waits for
   * the A-RELEASE-RP (a release collision is handled). After the peer asked
   * (Sta8, `receivePData` gave null): sends A-RELEASE-RP, which completes
   * the release, and waits for the peer to close (ARTIM, or `timeoutMs`:
   * then we close). Resolves once the transport is closed.
   */
  async release(options: { timeoutMs?: number } = {}): Promise<void> {
    const engine = this.#engine;
    const answering = engine.state === "Sta8";
    if (answering) engine.releaseResponse();
    else engine.releaseRequest();
    const timeoutMs = engine.bounded(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<"timeout">((
      r,
    ) => (timer = setTimeout(() => r("timeout"), timeoutMs)));
    const result = await Promise.race([engine.closed, expired]);
    clearTimeout(timer);
    if (result === "timeout") {
      const state = engine.state;
      // Ended while we waited (our A-ABORT on its invalid PDU, then ARTIM cut by our deadline):
      // that, not our wait, is why no A-RELEASE-RP came.
      const failed = engine.released ? undefined : engine.failure;
      await engine.giveUp();
      if (failed) throw failed;
      // Our A-RELEASE-RP completed the release: a peer slow to close after it (ARTIM's wait,
      // which our deadline may cut short) has not undone it.
      if (answering && engine.released) return;
      throw new AssociationTimeout({ waitingFor: "A-RELEASE-RP", timeoutMs, state });
    }
    if (!engine.released) throw engine.failure ?? new ConnectionClosed({ state: "Sta1" });
  }

  /** A-ABORT (service-user): sends it and closes the transport without waiting. */
  abort(): Promise<void> {
    return this.#engine.giveUp();
  }
}
