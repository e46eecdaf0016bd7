import assert from "node:assert/strict";
import { InputError } from "./input_error.ts";
import { MAX_YAML_BYTES, parseYaml, readYamlFile } from "./source.ts";

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

Deno.test("parseYaml() resolves aliases in linear time: 4x the aliases, well under 16x the time", () => {
  // A ratio, not a time: the machine's load slows both sizes alike (40,000 aliases took 1 s on a
  // quiet machine and 17 s at load 12; the yaml package's own resolution, quadratic, took 15 s).
  const parse = (n: number) => {
    const cases = Array.from({ length: n }, (_, i) => `  - { name: c${i}, x: *d, y: *d }`);
    const text = `defaults: &d { timeout: 5s }\ncases:\n${cases.join("\n")}\n`;
    const began = performance.now();
    const value = parseYaml(text, "big.yaml").value as { cases: Record<string, unknown>[] };
    const ms = performance.now() - began;
    assert.deepEqual(value.cases[n - 1], {
      name: `c${n - 1}`,
      x: { timeout: "5s" },
      y: { timeout: "5s" },
    });
    return ms;
  };
  const small = Math.min(parse(5_000), parse(5_000));
  const large = Math.min(parse(20_000), parse(20_000));
  assert.ok(large < 10 * small, `${Math.round(large)} ms against ${Math.round(small)} ms`);
});

// The InputError `fn` throws, or a failed assertion.
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  assert.fail("no InputError");
}

Deno.test("parseYaml() reports an alias without an anchor at the alias, not as a crash", () => {
  const e = inputError(() => parseYaml("a: 1\nb: [x, *nope]\n", "s.yaml"));
  assert.deepEqual(e.location, { file: "s.yaml", line: 2, column: 8 });
  assert.match(e.message, /the alias '\*nope' names no anchor before it/);
});

Deno.test("parseYaml() refuses a list or mapping as a key at its line, instead of a warning and a made-up key", () => {
  const e = inputError(() => parseYaml("a: 1\n? [x, y]\n: 2\n", "s.yaml"));
  assert.deepEqual(e.location, { file: "s.yaml", line: 2, column: 3 });
  assert.match(e.message, /a key is a list or mapping/);
});

Deno.test("parseYaml() refuses an alias of a list or mapping as a key, at the alias", () => {
  // Found by scenario_fuzz_test in CI: it reached toJS, which warned on the terminal.
  const e = inputError(() => parseYaml("x: &k { echo: success }\n? *k\n: 1\n", "s.yaml"));
  assert.deepEqual(e.location, { file: "s.yaml", line: 2, column: 3 });
  assert.match(e.message, /a key is a list or mapping/);
  assert.deepEqual(parseYaml("x: &k name\n? *k\n: 1\n", "s.yaml").value, { x: "name", name: 1 });
});

Deno.test("parseYaml() refuses a tag that makes bytes or a set, and keeps the tags of plain values", () => {
  for (const text of ["a: !!binary aGk=\n", "a: !!set { x }\n", "a: !foo x\n"]) {
    const e = inputError(() => parseYaml(text, "s.yaml"));
    assert.equal(e.location?.line, 1, text);
    assert.match(e.message, /tag/, text);
    assert.doesNotMatch(e.hint ?? "", /indentation/, text);
  }
  assert.deepEqual(parseYaml("a: !!str 12\nb: !!int '7'\n", "s.yaml").value, { a: "12", b: 7 });
});

Deno.test("parseYaml() refuses nesting past its limit, written or made by aliases of aliases, at the place", () => {
  const flow = `a: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`;
  const block = Array.from({ length: 2_000 }, (_, i) => `${" ".repeat(i)}a:\n`).join("");
  const aliases = Array.from({ length: 120 }, (_, i) => `a${i}: &a${i} [${i ? `*a${i - 1}` : 1}]\n`)
    .join("");
  for (const [name, text] of [["flow", flow], ["block", block], ["aliases", aliases]]) {
    const e = inputError(() => parseYaml(text, "s.yaml"));
    assert.match(e.message, /nests more than 100 levels deep/, name);
    assert.ok(e.location?.line !== undefined && e.location.column !== undefined, name);
  }
  assert.equal(
    (parseYaml(`a: ${"[".repeat(99)}${"]".repeat(99)}\n`, "s.yaml").value as { a: unknown[] }).a
      .length,
    1,
  );
});

Deno.test("parseYaml() refuses a raw control character at its line and column; escaped ones are fine", () => {
  const e = inputError(() => parseYaml("a: 1\nname: ec\0ho\n", "s.yaml"));
  assert.deepEqual(e.location, { file: "s.yaml", line: 2, column: 9 });
  assert.match(e.message, /U\+0000/);
  assert.deepEqual(parseYaml('name: "ec\\0ho\\x07"\r\n', "s.yaml").value, { name: "ec\0ho\x07" });
});

Deno.test("parseYaml() says a second document starts, not which function of the parser to call", () => {
  const e = inputError(() => parseYaml("a: 1\n---\nb: 2\n", "s.yaml"));
  assert.equal(e.location?.line, 2);
  assert.match(e.message, /a second YAML document starts here/);
  assert.doesNotMatch(e.message, /parseAllDocuments/);
});

Deno.test("readYamlFile() says where a file stops being UTF-8, past a U+FFFD written in it", async () => {
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    const text = new TextEncoder().encode("a: 1\nb: \uFFFD x ");
    await Deno.writeFile(file, new Uint8Array([...text, 0xc3, 0x28, 0x0a]));
    const e = await readYamlFile(file).then(() => undefined, (e) => e);
    assert.ok(e instanceof InputError);
    assert.deepEqual(e.location, { file, line: 2, column: 8 });
    assert.match(e.message, /not UTF-8 text: the byte 0xC3/);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("readYamlFile() stops reading past MAX_YAML_BYTES: a huge or endless file is one error naming it", async () => {
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    await Deno.writeTextFile(file, `a: 1\n# ${"x".repeat(MAX_YAML_BYTES)}\n`);
    for (const path of [file, "/dev/zero"]) {
      const e = await readYamlFile(path).then(() => undefined, (e) => e);
      assert.ok(e instanceof InputError, path);
      assert.match(
        e.message,
        path === file ? /larger than the 1 MiB a YAML file may be/ : /not a regular file/,
      );
    }
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("parseYaml() says to quote a ${...} written bare inside [...] or {...}, where its braces end the collection", () => {
  for (
    const text of [
      "sut: { ae: X, host: ${env.SUT_HOST:-127.0.0.1}, port: 1 }\n",
      "harness: { verify: { thumbprint: [${env.PIN}] } }\n",
    ]
  ) {
    assert.throws(
      () => parseYaml(text, "s.yaml"),
      (e) =>
        e instanceof InputError && e.location?.line === 1 &&
        e.hint === 'quote a value with ${...} inside [...] or {...}: "${env.NAME}"',
    );
  }
});
