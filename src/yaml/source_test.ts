import assert from "node:assert/strict";
import { InputError } from "./input_error.ts";
import { parseYaml } from "./source.ts";

Deno.test("parseYaml() reports a billion-laughs document at the alias that overflows, in well under a second", () => {
  const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i < 9; i++) {
    const [prev, name] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
    levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
  }
  const began = performance.now();
  assert.throws(
    () => parseYaml(levels.join("\n") + "\n", "laughs.yaml"),
    (e) =>
      e instanceof InputError && e.location?.file === "laughs.yaml" && e.location.line === 6 &&
      /alias bomb/.test(e.message) && e.hint !== undefined,
  );
  assert.ok(performance.now() - began < 1000);
});

Deno.test("parseYaml() accepts one anchor reused thousands of times", () => {
  const cases = Array.from({ length: 5000 }, (_, i) => `  - { name: c${i}, x: *d, y: *d }`);
  const src = parseYaml(`defaults: &d { timeout: 5s }\ncases:\n${cases.join("\n")}\n`, "big.yaml");
  const value = src.value as { cases: { x: { timeout: string } }[] };
  assert.equal(value.cases.length, 5000);
  assert.equal(value.cases[4999].x.timeout, "5s");
});

Deno.test("parseYaml() counts a self-referencing alias once instead of looping", () => {
  const src = parseYaml("a: &a [1, *a]\n", "cycle.yaml");
  assert.ok(Array.isArray((src.value as { a: unknown[] }).a));
});

Deno.test("parseYaml() resolves 40,000 aliases in linear time", () => {
  const cases = Array.from({ length: 20_000 }, (_, i) => `  - { name: c${i}, x: *d, y: *d }`);
  const text = `defaults: &d { timeout: 5s }\ncases:\n${cases.join("\n")}\n`;
  const began = performance.now();
  const value = parseYaml(text, "big.yaml").value as { cases: Record<string, unknown>[] };
  const ms = performance.now() - began;
  assert.deepEqual(value.cases[19_999], {
    name: "c19999",
    x: { timeout: "5s" },
    y: { timeout: "5s" },
  });
  assert.ok(ms < 10_000, `${Math.round(ms)} ms (the yaml package's own resolution took 15 s)`);
});
