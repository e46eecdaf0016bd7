import assert from "node:assert/strict";
import { decodePdu, PduError } from "../ul/mod.ts";
import {
  COMMAND_FIELDS,
  commandName,
  decodeCommand,
  DimseError,
  encodeCommand,
} from "./command.ts";
import { describeStatus, statusCategory } from "./status.ts";

function commandBytes(fixture: string, index: number): Uint8Array {
  const { pdus } = JSON.parse(
    Deno.readTextFileSync(new URL(`../../fixtures/pdu/${fixture}.json`, import.meta.url)),
  );
  const pdu = decodePdu(
    Uint8Array.from(pdus[index].hex.match(/../g), (h: string) => parseInt(h, 16)),
  );
  if (pdu instanceof PduError || pdu.type !== "P-DATA-TF") throw new Error("not a P-DATA-TF");
  return pdu.pdvs[0].data;
}

Deno.test("decodeCommand() reads echoscu's C-ECHO-RQ and storescp's C-ECHO-RSP, encodeCommand() rewrites them byte for byte", () => {
  const rq = commandBytes("echo", 2);
  assert.deepEqual(decodeCommand(rq), {
    AffectedSOPClassUID: "1.2.840.10008.1.1",
    CommandField: COMMAND_FIELDS["C-ECHO-RQ"],
    MessageID: 1,
    CommandDataSetType: 0x0101,
  });
  assert.deepEqual(encodeCommand(decodeCommand(rq)), rq);
  const rsp = commandBytes("echo", 3);
  const decoded = decodeCommand(rsp);
  assert.equal(commandName(decoded.CommandField), "C-ECHO-RSP");
  assert.equal(decoded.Status, 0);
  assert.deepEqual(encodeCommand(decoded), rsp);
});

Deno.test("encodeCommand() round-trips a C-STORE-RQ from storescu byte for byte", () => {
  const rq = commandBytes("store_fragmented", 2);
  const decoded = decodeCommand(rq);
  assert.equal(decoded.AffectedSOPInstanceUID, "1.2.826.0.1.3680043.2.1143.4242.1");
  assert.deepEqual(encodeCommand(decoded), rq);
});

Deno.test("encodeCommand() keeps unknown and AT elements, decodeCommand() refuses other groups", () => {
  const command = {
    CommandField: 0x8001,
    OffendingElement: [0x00100010, 0x7fe00010],
    ErrorComment: "odd",
    unknown: [{ element: 0x5555, value: Uint8Array.of(1, 2) }],
  };
  assert.deepEqual(decodeCommand(encodeCommand(command)), command);
  assert.throws(() => decodeCommand(Uint8Array.of(8, 0, 0x16, 0, 0, 0, 0, 0)), DimseError);
  assert.throws(() => decodeCommand(Uint8Array.of(0, 0, 0, 1, 9, 0, 0, 0)), /past the end/);
});

Deno.test("describeStatus() names PS3.7 Annex C statuses and their categories", () => {
  assert.deepEqual(describeStatus(0x0000), { code: 0, name: "Success", category: "success" });
  assert.equal(
    describeStatus(0xa702).name,
    "Refused: Out of Resources - Unable to perform sub-operations",
  );
  assert.equal(describeStatus(0xa7ff).name, "Refused: Out of Resources");
  assert.deepEqual(describeStatus(0xc001), {
    code: 0xc001,
    name: "Error: Cannot Understand",
    category: "failure",
  });
  assert.equal(describeStatus(0x0122).name, "Refused: SOP Class not supported");
  assert.equal(describeStatus(0xb000).category, "warning");
  assert.equal(statusCategory(0x0107), "warning");
  assert.equal(statusCategory(0xff01), "pending");
  assert.equal(statusCategory(0xfe00), "cancel");
  assert.equal(statusCategory(0x0211), "failure");
});
