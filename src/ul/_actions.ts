import type { Duplex } from "node:stream";
import {
  AssociationAborted,
  AssociationRejected,
  AssociationTimeout,
  ConnectionClosed,
  ProtocolError,
} from "./errors.ts";
import type { AAbort, AAssociateAc, AAssociateRj, AAssociateRq, PDataTf, Pdu } from "./pdu.ts";
import type { PduError } from "./pdu_error.ts";
import type { AbortReason } from "./reasons.ts";
import type { Action, Event, State } from "./state_machine.ts";

/** What the provider tells its local user (PS3.8 indication and confirmation primitives). */
export type Indication =
  | { kind: "A-ASSOCIATE-RQ"; pdu: AAssociateRq }
  | { kind: "A-ASSOCIATE-AC"; pdu: AAssociateAc }
  | { kind: "P-DATA"; pdu: PDataTf }
  | { kind: "A-RELEASE-RQ" };

/** Data that comes with an event. */
export interface EventData {
  pdu?: Pdu;
  error?: PduError;
  /** The transport's error, when it failed rather than closed. */
  socketError?: Error;
}

/** An event's data, the state it left and the event itself, as an action sees them. */
export type ActionData = EventData & { from: State; event: Event };

/** What the PS3.8 actions do to one connection's service provider (the engine). */
export interface Provider {
  readonly state: State;
  readonly socket: Duplex;
  readonly artimMs: number;
  /** The running (or last) ARTIM timer: its length, and whether our deadline cut it short. */
  readonly artim: { ms: number; cut: boolean };
  rq?: AAssociateRq;
  ac?: AAssociateAc;
  released: boolean;
  /** The A-ASSOCIATE-RJ the provider itself sends (AE-6, an unacceptable request). */
  pendingReject?: AAssociateRj;
  lastError?: Error;
  send(pdu: Pdu): void;
  indicate(i: Indication): void;
  fail(error: Error): void;
  startArtim(): void;
  stopArtim(): void;
  closeTransport(): void;
  /** Runs an event now (the provider's own primitive, e.g. Evt2 on connect). */
  raise(event: Event): void;
}

const later = (p: Provider, event: Event) => queueMicrotask(() => p.raise(event));

/**
 * What each PS3.8 action does (Tables 9-6 to 9-9), keyed by every action
 * there is: a missing one does not compile. Descriptions and next states
 * are in `ACTIONS` of state_machine.ts.
 */
export const ACTION_HANDLERS: Readonly<Record<Action, (p: Provider, d: ActionData) => void>> = {
  "AE-1": (p) => {
    const s = p.socket as Duplex & { connecting?: boolean };
    if (s.connecting) s.once("connect", () => p.raise("Evt2"));
    else later(p, "Evt2");
  },
  "AE-2": (p) => p.send(p.rq!),
  "AE-3": (p, d) => {
    p.ac = d.pdu as AAssociateAc;
    p.indicate({ kind: "A-ASSOCIATE-AC", pdu: p.ac });
  },
  "AE-4": (p, d) => {
    p.fail(new AssociationRejected(d.pdu as AAssociateRj));
    p.closeTransport();
  },
  "AE-5": (p) => p.startArtim(),
  "AE-6": (p, d) => {
    p.stopArtim();
    p.rq = d.pdu as AAssociateRq;
    if (p.state === "Sta3") return p.indicate({ kind: "A-ASSOCIATE-RQ", pdu: p.rq });
    p.send(p.pendingReject!);
    p.fail(new AssociationRejected(p.pendingReject!));
    p.startArtim();
  },
  "AE-7": (p, d) => p.send(d.pdu!),
  "AE-8": (p, d) => {
    p.send(d.pdu!);
    p.fail(new AssociationRejected(d.pdu as AAssociateRj));
    p.startArtim();
  },
  "DT-1": (p, d) => p.send(d.pdu!),
  "DT-2": (p, d) => p.indicate({ kind: "P-DATA", pdu: d.pdu as PDataTf }),
  "AR-1": (p) => p.send({ type: "A-RELEASE-RQ" }),
  "AR-2": (p) => p.indicate({ kind: "A-RELEASE-RQ" }),
  "AR-3": (p) => {
    p.released = true;
    p.closeTransport();
  },
  "AR-4": (p) => {
    p.send({ type: "A-RELEASE-RP" });
    p.released = true;
    p.startArtim();
  },
  "AR-5": (p) => p.stopArtim(),
  "AR-6": (p, d) => p.indicate({ kind: "P-DATA", pdu: d.pdu as PDataTf }),
  "AR-7": (p, d) => p.send(d.pdu!),
  // Release collision: we asked too, so answer without bothering the user.
  "AR-8": (p) => {
    if (p.state === "Sta9") later(p, "Evt14");
  },
  "AR-9": (p) => p.send({ type: "A-RELEASE-RP" }),
  "AR-10": (p) => later(p, "Evt14"),
  "AA-1": sendAbort,
  "AA-2": (p, d) => {
    p.stopArtim();
    p.fail(
      d.event === "Evt16" ? peerAbort(d) : new AssociationTimeout({
        waitingFor: `${d.from === "Sta2" ? "A-ASSOCIATE-RQ" : "transport close"} (ARTIM${
          p.artim.cut ? `, cut short by our deadline` : ""
        })`,
        timeoutMs: p.artim.ms,
        state: d.from,
      }),
    );
    p.closeTransport();
  },
  "AA-3": (p, d) => {
    p.fail(peerAbort(d));
    p.closeTransport();
  },
  "AA-4": closedIndication,
  "AA-5": closedIndication,
  "AA-6": () => {},
  "AA-7": sendAbort,
  "AA-8": (p, d) => {
    const reason = d.error?.reason ?? "unexpected-pdu";
    p.send({ type: "A-ABORT", source: "service-provider", reason });
    p.fail(d.error ?? unexpected(d));
    p.startArtim();
  },
};

// AA-1 and AA-7: an A-ABORT from the user (Evt15) or for a PDU that has no place here.
function sendAbort(p: Provider, d: ActionData): void {
  const local = d.event === "Evt15";
  const reason: AbortReason = d.error?.reason ??
    (local ? "reason-not-specified" : "unexpected-pdu");
  const source = local ? "service-user" : "service-provider";
  p.send({ type: "A-ABORT", source, reason });
  p.fail(
    d.error ??
      (local ? new AssociationAborted({ source, reason, by: "us", state: d.from }) : unexpected(d)),
  );
  p.startArtim();
}

// AA-4 and AA-5: the transport closed under us.
function closedIndication(p: Provider, d: ActionData): void {
  p.stopArtim();
  p.fail(new ConnectionClosed({ state: d.from, error: d.socketError ?? p.lastError }));
}

function peerAbort(d: ActionData): AssociationAborted {
  const pdu = d.pdu as AAbort;
  return new AssociationAborted({
    source: pdu.source,
    reason: pdu.reason,
    by: "peer",
    state: d.from,
  });
}

function unexpected(d: ActionData): ProtocolError {
  return new ProtocolError({ state: d.from, event: d.event, pduType: d.pdu?.type ?? "PDU" });
}
