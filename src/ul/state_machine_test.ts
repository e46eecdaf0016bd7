import assert from "node:assert/strict";
import {
  ACTIONS,
  type Event,
  EVENTS,
  type State,
  STATES,
  transition,
  TRANSITIONS,
} from "./state_machine.ts";

const allStates = Object.keys(STATES) as State[];
const allEvents = Object.keys(EVENTS) as Event[];

Deno.test("TRANSITIONS names only PS3.8 actions, states and events", () => {
  for (const event of allEvents) {
    for (const [state, action] of Object.entries(TRANSITIONS[event])) {
      assert.ok(allStates.includes(state as State), `${event} ${state}`);
      assert.ok(action in ACTIONS, `${event} ${state} ${action}`);
    }
  }
});

Deno.test("transition() aborts (AA-8) on every received PDU that Sta6 does not allow", () => {
  for (const event of ["Evt3", "Evt4", "Evt6", "Evt13", "Evt19"] as Event[]) {
    for (const requestor of [true, false]) {
      assert.deepEqual(transition({ state: "Sta6", event, requestor }), {
        action: "AA-8",
        next: "Sta13",
      }, event);
    }
  }
  assert.deepEqual(transition({ state: "Sta6", event: "Evt10", requestor: true }), {
    action: "DT-2",
    next: "Sta6",
  });
  assert.deepEqual(transition({ state: "Sta6", event: "Evt12", requestor: true }), {
    action: "AR-2",
    next: "Sta8",
  });
  assert.deepEqual(transition({ state: "Sta6", event: "Evt16", requestor: true }), {
    action: "AA-3",
    next: "Sta1",
  });
  assert.deepEqual(transition({ state: "Sta6", event: "Evt17", requestor: true }), {
    action: "AA-4",
    next: "Sta1",
  });
  assert.deepEqual(transition({ state: "Sta6", event: "Evt15", requestor: true }), {
    action: "AA-1",
    next: "Sta13",
  });
});

Deno.test("transition() has no cell for local primitives that Sta6 does not allow", () => {
  for (const event of ["Evt1", "Evt2", "Evt5", "Evt7", "Evt8", "Evt14", "Evt18"] as Event[]) {
    assert.equal(transition({ state: "Sta6", event, requestor: true }), undefined, event);
  }
});

Deno.test("transition() walks both sides of a release collision to Sta1", () => {
  const walk = (requestor: boolean, events: Event[]) => {
    let state: State = "Sta7";
    const path: string[] = [];
    for (const event of events) {
      const t = transition({ state, event, requestor });
      assert.ok(t, `${event} in ${state}`);
      path.push(`${t.action}>${t.next}`);
      state = t.next;
    }
    return path;
  };
  assert.deepEqual(walk(true, ["Evt12", "Evt14", "Evt13"]), [
    "AR-8>Sta9",
    "AR-9>Sta11",
    "AR-3>Sta1",
  ]);
  assert.deepEqual(walk(false, ["Evt12", "Evt13", "Evt14", "Evt17"]), [
    "AR-8>Sta10",
    "AR-10>Sta12",
    "AR-4>Sta13",
    "AR-5>Sta1",
  ]);
});

Deno.test("transition() closes on ARTIM expiry only where ARTIM runs (Sta2, Sta13)", () => {
  for (const state of allStates) {
    const t = transition({ state, event: "Evt18", requestor: false });
    if (state === "Sta2" || state === "Sta13") {
      assert.deepEqual(t, { action: "AA-2", next: "Sta1" });
    } else assert.equal(t, undefined, state);
  }
});

Deno.test("transition() branches AE-6 on whether the provider accepts the A-ASSOCIATE-RQ", () => {
  assert.deepEqual(
    transition({ state: "Sta2", event: "Evt6", requestor: false, acceptable: true }),
    {
      action: "AE-6",
      next: "Sta3",
    },
  );
  assert.deepEqual(
    transition({ state: "Sta2", event: "Evt6", requestor: false, acceptable: false }),
    {
      action: "AE-6",
      next: "Sta13",
    },
  );
});

Deno.test("transition() treats every PDU as an event in every state with an open transport", () => {
  const received: Event[] = [
    "Evt3",
    "Evt4",
    "Evt6",
    "Evt10",
    "Evt12",
    "Evt13",
    "Evt16",
    "Evt17",
    "Evt19",
  ];
  for (const state of allStates.filter((s) => s !== "Sta1" && s !== "Sta4")) {
    for (const event of received) {
      assert.ok(transition({ state, event, requestor: true }), `${event} in ${state} has no cell`);
    }
  }
});
