import assert from "node:assert/strict";
import { isValidUid } from "./uid.ts";

Deno.test("isValidUid() accepts UIDs built as PS3.5 9.1 says", () => {
  for (const uid of ["1.2.840.10008.1.1", "0", "2.25.0", "1.2." + "3".repeat(60)]) {
    assert.ok(isValidUid(uid), uid);
  }
});

Deno.test("isValidUid() refuses dots alone, empty or zero-led components, other characters and more than 64 characters", () => {
  const bad = [
    "",
    ".",
    "..",
    "...",
    "1..2",
    ".1.2",
    "1.2.",
    "01.2",
    "1.2.03",
    "1.2.a",
    "1.2 ",
    "1.2\0",
    "../1.2",
    "1.2/3",
    "1.2." + "3".repeat(61),
  ];
  for (const uid of bad) assert.ok(!isValidUid(uid), JSON.stringify(uid));
});
