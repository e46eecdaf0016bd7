import assert from "node:assert/strict";
import { fc } from "../testing/fast_check.ts";
import { terminalSafe } from "./terminal.ts";

// What must never reach a terminal raw: C0 but nothing kept, DEL, C1, bidi and other format characters.
const DANGEROUS =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/u;

Deno.test("terminalSafe() shows ESC, CSI, CR, LF, NUL, DEL and bidi overrides as visible escapes", () => {
  assert.equal(
    terminalSafe("CN=a\x1b[2K\r\n\0\x7f\u009b1A\u202Eb\u2066c\u2069"),
    "CN=a\\x1B[2K\\r\\n\\x00\\x7F\\x9B1A\\u{202E}b\\u{2066}c\\u{2069}",
  );
});

Deno.test("terminalSafe() leaves printable text, accents and CJK unchanged", () => {
  const text = "CN=Hôpital Saint-Étienne, O=病院, OU=Radiologie (PACS) ~!@#$%^&*";
  assert.equal(terminalSafe(text), text);
});

Deno.test("terminalSafe() escapes zero-width, soft hyphen, tag characters and line separators", () => {
  assert.equal(
    terminalSafe("a\u200Bb\u00ADc\u{E0041}d\u2028e"),
    "a\\u{200B}b\\xADc\\u{E0041}d\\u{2028}e",
  );
});

Deno.test("terminalSafe() with keepLineBreaks keeps LF and TAB only", () => {
  assert.equal(terminalSafe("a\n\tb\r\x1bc", { keepLineBreaks: true }), "a\n\tb\\r\\x1Bc");
});

Deno.test("terminalSafe() output never holds a dangerous character, for any input", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      assert.doesNotMatch(terminalSafe(text), DANGEROUS);
      const kept = terminalSafe(text, { keepLineBreaks: true }).replace(/[\n\t]/g, "");
      assert.doesNotMatch(kept, DANGEROUS);
    }),
    { numRuns: 2000 },
  );
});
