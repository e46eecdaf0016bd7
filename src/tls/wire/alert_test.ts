import assert from "node:assert/strict";
import { decodeAlerts } from "./alert.ts";

Deno.test("decodeAlerts() names level and description", () => {
  assert.deepEqual(decodeAlerts(new Uint8Array([2, 116])), [
    { level: "fatal", description: { name: "certificate_required", code: 116 } },
  ]);
  assert.deepEqual(decodeAlerts(new Uint8Array([1, 0, 2, 40])), [
    { level: "warning", description: { name: "close_notify", code: 0 } },
    { level: "fatal", description: { name: "handshake_failure", code: 40 } },
  ]);
});

Deno.test("decodeAlerts() names unassigned codes and refuses odd lengths", () => {
  assert.deepEqual(decodeAlerts(new Uint8Array([9, 200])), [
    { level: "unknown_9", description: { name: "unknown_200", code: 200 } },
  ]);
  assert.deepEqual(decodeAlerts(new Uint8Array([2])), {
    error: "alert record of 1 bytes: alerts are 2 bytes each",
  });
  assert.ok("error" in decodeAlerts(new Uint8Array(0)));
});
