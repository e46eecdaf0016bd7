/**
 * The PS3.8 association state machine (section 9.2): states Sta1-Sta13,
 * events Evt1-Evt19, actions AE-n, DT-n, AR-n, AA-n, and the state transition
 * table (Table 9-10) as data. Cells the table leaves empty are illegal events.
 */

/** PS3.8 Table 9-9 states. */
export type State =
  | "Sta1"
  | "Sta2"
  | "Sta3"
  | "Sta4"
  | "Sta5"
  | "Sta6"
  | "Sta7"
  | "Sta8"
  | "Sta9"
  | "Sta10"
  | "Sta11"
  | "Sta12"
  | "Sta13";

/** What each state means (PS3.8 Table 9-9). */
export const STATES: Readonly<Record<State, string>> = {
  Sta1: "Idle",
  Sta2: "Transport connection open (awaiting A-ASSOCIATE-RQ PDU)",
  Sta3: "Awaiting local A-ASSOCIATE response primitive",
  Sta4: "Awaiting transport connection opening to complete",
  Sta5: "Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU",
  Sta6: "Association established and ready for data transfer",
  Sta7: "Awaiting A-RELEASE-RP PDU",
  Sta8: "Awaiting local A-RELEASE response primitive",
  Sta9: "Release collision requestor side; awaiting A-RELEASE response primitive",
  Sta10: "Release collision acceptor side; awaiting A-RELEASE-RP PDU",
  Sta11: "Release collision requestor side; awaiting A-RELEASE-RP PDU",
  Sta12: "Release collision acceptor side; awaiting A-RELEASE response primitive",
  Sta13: "Awaiting Transport Connection Close Indication",
};

/** PS3.8 Table 9-10 events. */
export type Event =
  | "Evt1"
  | "Evt2"
  | "Evt3"
  | "Evt4"
  | "Evt5"
  | "Evt6"
  | "Evt7"
  | "Evt8"
  | "Evt9"
  | "Evt10"
  | "Evt11"
  | "Evt12"
  | "Evt13"
  | "Evt14"
  | "Evt15"
  | "Evt16"
  | "Evt17"
  | "Evt18"
  | "Evt19";

/** What each event is (PS3.8 Table 9-10). */
export const EVENTS: Readonly<Record<Event, string>> = {
  Evt1: "A-ASSOCIATE request (local user)",
  Evt2: "Transport connect confirmation (local transport service)",
  Evt3: "A-ASSOCIATE-AC PDU (received on transport connection)",
  Evt4: "A-ASSOCIATE-RJ PDU (received on transport connection)",
  Evt5: "Transport connection indication (local transport service)",
  Evt6: "A-ASSOCIATE-RQ PDU (received on transport connection)",
  Evt7: "A-ASSOCIATE response primitive (accept)",
  Evt8: "A-ASSOCIATE response primitive (reject)",
  Evt9: "P-DATA request primitive",
  Evt10: "P-DATA-TF PDU",
  Evt11: "A-RELEASE request primitive",
  Evt12: "A-RELEASE-RQ PDU (received on open transport connection)",
  Evt13: "A-RELEASE-RP PDU (received on transport connection)",
  Evt14: "A-RELEASE response primitive",
  Evt15: "A-ABORT request primitive",
  Evt16: "A-ABORT PDU (received on open transport connection)",
  Evt17: "Transport connection closed indication (local transport service)",
  Evt18: "ARTIM timer expired (Association reject/release timer)",
  Evt19: "Unrecognized or invalid PDU received",
};

/** PS3.8 Table 9-6 to 9-9 actions. */
export type Action =
  | "AE-1"
  | "AE-2"
  | "AE-3"
  | "AE-4"
  | "AE-5"
  | "AE-6"
  | "AE-7"
  | "AE-8"
  | "DT-1"
  | "DT-2"
  | "AR-1"
  | "AR-2"
  | "AR-3"
  | "AR-4"
  | "AR-5"
  | "AR-6"
  | "AR-7"
  | "AR-8"
  | "AR-9"
  | "AR-10"
  | "AA-1"
  | "AA-2"
  | "AA-3"
  | "AA-4"
  | "AA-5"
  | "AA-6"
  | "AA-7"
  | "AA-8";

/**
 * Each action, what it does, and the state it leads to. AE-6 and AR-8 branch:
 * AE-6 on whether the service provider accepts the A-ASSOCIATE-RQ, AR-8 on
 * whether we are the association requestor.
 */
export const ACTIONS: Readonly<
  Record<Action, { does: string; next: State | { yes: State; no: State } }>
> = {
  "AE-1": {
    does: "Issue TRANSPORT CONNECT request primitive to local transport service",
    next: "Sta4",
  },
  "AE-2": { does: "Send A-ASSOCIATE-RQ-PDU", next: "Sta5" },
  "AE-3": { does: "Issue A-ASSOCIATE confirmation (accept) primitive", next: "Sta6" },
  "AE-4": {
    does: "Issue A-ASSOCIATE confirmation (reject) primitive and close transport connection",
    next: "Sta1",
  },
  "AE-5": {
    does: "Issue Transport connection response primitive; start ARTIM timer",
    next: "Sta2",
  },
  "AE-6": {
    does:
      "Stop ARTIM timer and if A-ASSOCIATE-RQ acceptable by service-provider: issue A-ASSOCIATE indication primitive; otherwise issue A-ASSOCIATE-RJ-PDU and start ARTIM timer",
    next: { yes: "Sta3", no: "Sta13" },
  },
  "AE-7": { does: "Send A-ASSOCIATE-AC PDU", next: "Sta6" },
  "AE-8": { does: "Send A-ASSOCIATE-RJ PDU and start ARTIM timer", next: "Sta13" },
  "DT-1": { does: "Send P-DATA-TF PDU", next: "Sta6" },
  "DT-2": { does: "Send P-DATA indication primitive", next: "Sta6" },
  "AR-1": { does: "Send A-RELEASE-RQ PDU", next: "Sta7" },
  "AR-2": { does: "Issue A-RELEASE indication primitive", next: "Sta8" },
  "AR-3": {
    does: "Issue A-RELEASE confirmation primitive, and close transport connection",
    next: "Sta1",
  },
  "AR-4": { does: "Issue A-RELEASE-RP PDU and start ARTIM timer", next: "Sta13" },
  "AR-5": { does: "Stop ARTIM timer", next: "Sta1" },
  "AR-6": { does: "Issue P-DATA indication", next: "Sta7" },
  "AR-7": { does: "Issue P-DATA-TF PDU", next: "Sta8" },
  "AR-8": {
    does:
      "Issue A-RELEASE indication (release collision): requestor goes to Sta9, acceptor to Sta10",
    next: { yes: "Sta9", no: "Sta10" },
  },
  "AR-9": { does: "Send A-RELEASE-RP PDU", next: "Sta11" },
  "AR-10": { does: "Issue A-RELEASE confirmation primitive", next: "Sta12" },
  "AA-1": {
    does: "Send A-ABORT PDU (service-user source) and start (or restart) ARTIM timer",
    next: "Sta13",
  },
  "AA-2": { does: "Stop ARTIM timer if running. Close transport connection", next: "Sta1" },
  "AA-3": {
    does:
      "Issue A-ABORT (service-user) or A-P-ABORT (service-provider) indication and close transport connection",
    next: "Sta1",
  },
  "AA-4": { does: "Issue A-P-ABORT indication primitive", next: "Sta1" },
  "AA-5": { does: "Stop ARTIM timer", next: "Sta1" },
  "AA-6": { does: "Ignore PDU", next: "Sta13" },
  "AA-7": { does: "Send A-ABORT PDU", next: "Sta13" },
  "AA-8": {
    does:
      "Send A-ABORT PDU (service-provider source), issue an A-P-ABORT indication, and start ARTIM timer",
    next: "Sta13",
  },
};

type Row = Partial<Record<State, Action>>;
const OPEN: State[] = ["Sta6", "Sta7", "Sta8", "Sta9", "Sta10", "Sta11", "Sta12"];

/** A row where every transport-open state after Sta3 gets `action` (most received PDUs abort). */
function row(cells: Row, rest?: Action): Row {
  const out: Row = {};
  if (rest) { for (const s of ["Sta3", "Sta5", ...OPEN] as State[]) out[s] = rest; }
  return { ...out, ...cells };
}

/**
 * PS3.8 Table 9-10, the state transition table: `TRANSITIONS[event][state]`
 * is the action; an absent cell is an illegal event in that state.
 *
 * @example
 * ```ts
 * import { TRANSITIONS } from "./state_machine.ts";
 * TRANSITIONS.Evt12.Sta6; // "AR-2": A-RELEASE-RQ while established
 * TRANSITIONS.Evt3.Sta6;  // "AA-8": an A-ASSOCIATE-AC now is a protocol error
 * ```
 */
export const TRANSITIONS: Readonly<Record<Event, Readonly<Partial<Record<State, Action>>>>> = {
  Evt1: { Sta1: "AE-1" },
  Evt2: { Sta4: "AE-2" },
  Evt3: row({ Sta2: "AA-1", Sta5: "AE-3", Sta13: "AA-6" }, "AA-8"),
  Evt4: row({ Sta2: "AA-1", Sta5: "AE-4", Sta13: "AA-6" }, "AA-8"),
  Evt5: { Sta1: "AE-5" },
  Evt6: row({ Sta2: "AE-6", Sta13: "AA-7" }, "AA-8"),
  Evt7: { Sta3: "AE-7" },
  Evt8: { Sta3: "AE-8" },
  Evt9: { Sta6: "DT-1", Sta8: "AR-7" },
  Evt10: row({ Sta2: "AA-1", Sta6: "DT-2", Sta7: "AR-6", Sta13: "AA-6" }, "AA-8"),
  Evt11: { Sta6: "AR-1" },
  Evt12: row({ Sta2: "AA-1", Sta6: "AR-2", Sta7: "AR-8", Sta13: "AA-6" }, "AA-8"),
  Evt13: row({ Sta2: "AA-1", Sta7: "AR-3", Sta10: "AR-10", Sta11: "AR-3", Sta13: "AA-6" }, "AA-8"),
  Evt14: { Sta8: "AR-4", Sta9: "AR-9", Sta12: "AR-4" },
  Evt15: row({ Sta4: "AA-2" }, "AA-1"),
  Evt16: row({ Sta2: "AA-2", Sta13: "AA-2" }, "AA-3"),
  Evt17: row({ Sta2: "AA-5", Sta4: "AA-4", Sta13: "AR-5" }, "AA-4"),
  Evt18: { Sta2: "AA-2", Sta13: "AA-2" },
  Evt19: row({ Sta2: "AA-1", Sta13: "AA-7" }, "AA-8"),
};

/**
 * The action and next state for `event` in `state`, or undefined when the
 * table has no such cell (an illegal event).
 *
 * @example
 * ```ts
 * import { transition } from "./state_machine.ts";
 * transition({ state: "Sta7", event: "Evt12", requestor: true }); // { action: "AR-8", next: "Sta9" }
 * transition({ state: "Sta1", event: "Evt9", requestor: true });  // undefined
 * ```
 */
export function transition(
  options: { state: State; event: Event; requestor: boolean; acceptable?: boolean },
): { action: Action; next: State } | undefined {
  const action = TRANSITIONS[options.event][options.state];
  if (!action) return undefined;
  const next = ACTIONS[action].next;
  if (typeof next === "string") return { action, next };
  const yes = action === "AR-8" ? options.requestor : options.acceptable ?? true;
  return { action, next: yes ? next.yes : next.no };
}
