import assert from "node:assert/strict";
import { fc } from "../testing/fast_check.ts";
import { toJson } from "./json.ts";

// Raw in the text: any C0, DEL, C1, bidi or other format character.
// deno-lint-ignore no-control-regex
const RAW = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/u;

Deno.test("toJson() escapes C1, DEL and bidi characters as \\uXXXX and keeps the value", () => {
  const value = { subject: "CN=\u009b2J\x7f\u202Eevil\u2066", n: 1 };
  const text = toJson(value);
  assert.equal(text, '{"subject":"CN=\\u009b2J\\u007f\\u202eevil\\u2066","n":1}');
  assert.deepEqual(JSON.parse(text), value);
});

Deno.test("toJson() indents like JSON.stringify", () => {
  assert.equal(toJson({ a: [1] }, { indent: 2 }), JSON.stringify({ a: [1] }, null, 2));
});

Deno.test("toJson() writes astral format characters as their UTF-16 escapes", () => {
  assert.equal(toJson("\u{E0041}"), '"\\udb40\\udc41"');
});

Deno.test("toJson() round-trips any string and never writes one raw", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      const json = toJson({ text }, { indent: 1 });
      assert.doesNotMatch(json.replace(/\n/g, ""), RAW);
      assert.equal(JSON.parse(json).text, text);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("toJson() escapes the unassigned invisible U+2065 (found by the property test, seed 1515907321)", () => {
  assert.equal(toJson("\u2065"), '"\\u2065"');
});
