// Golden tests of the broken-scenario corpus: each file in
// fixtures/scenarios-broken/ gives exactly the line in its .expected file
// (file:line:column, what is wrong, a hint) and `validate` exits 2.
import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import { main } from "../mod.ts";
import { displayPath } from "../src/scenario/mod.ts";
import { captureConsole, runDicomtls } from "../src/testing/cli.ts";

const corpus = fromFileUrl(new URL("../fixtures/scenarios-broken/", import.meta.url));
const shown = displayPath(corpus);
const cache = await Deno.makeTempDir({ prefix: "dicomtls-broken-" });
globalThis.addEventListener("unload", () => Deno.removeSync(cache, { recursive: true }));
const files = [...Deno.readDirSync(corpus)].map((e) => e.name).filter((n) => n.endsWith(".yaml"))
  .sort();

// Runs `dicomtls ARGS...` in-process and returns its exit code and output lines.
async function run(args: string[]) {
  const { value: code, out, err } = await captureConsole(() => main(args));
  return { code, out, err };
}

Deno.test("the broken-scenario corpus covers every kind of bad input the issue lists", () => {
  for (
    const kind of [
      "syntax-error",
      "unknown-key",
      "wrong-type",
      "unknown-pki-name",
      "undefined-variable",
      "missing-file",
      "port-out-of-range",
      "duplicate-case-names",
      "unknown-alert",
      "bad-timeout",
      "no-expectation",
      "alias-bomb",
      "matrix-too-large",
      "matrix-repeated-value",
      "too-many-cases",
      "ae-title-too-long",
      "host-empty",
      "alias-undefined",
      "case-not-a-mapping",
      "collection-key",
      "yaml-tag",
      "deep-nesting",
      "control-character-raw",
      "not-utf8",
      "multiple-documents",
      "timeout-too-long",
      "timeout-zero",
      "port-from-variable",
      "nested-interpolation",
      "not-a-number",
      "pki-endless",
      "inherited-variable-name",
      "choice-timeout-list",
      "choice-cert-mapping",
      "choice-checkhost-yes",
      "choice-size-2g",
      "choice-pki-spec",
      "choice-verify-bad",
    ]
  ) {
    assert.ok(files.includes(`${kind}.yaml`), kind);
  }
});

for (const name of files) {
  Deno.test(`validate reports ${name} at file:line:column with a hint and exits 2`, async () => {
    const expected = (await Deno.readTextFile(`${corpus}${name.replace(/\.yaml$/, ".expected")}`))
      .trimEnd();
    const { code, out, err } = await run([
      "validate",
      "--pki-cache",
      cache,
      `${corpus}${name}`,
    ]);
    assert.equal(code, 2);
    assert.deepEqual(out, []);
    assert.equal(err.length, 1, err.join("\n"));
    assert.equal(
      // A PKI spec's path is shown as the suite names it, joined to the suite's folder.
      err[0].replaceAll(corpus, "fixtures/scenarios-broken/").replaceAll(
        `${shown}/`,
        "fixtures/scenarios-broken/",
      ),
      expected,
    );
    assert.match(err[0], /^\S+\.yaml:\d+:\d+: .+ \(hint: .+\)$/);
  });
}

Deno.test("a billion-laughs file and a 10^9-entry matrix are refused in under a second each, never expanded", async () => {
  for (const name of ["alias-bomb.yaml", "matrix-too-large.yaml"]) {
    const began = performance.now();
    const { code } = await run(["validate", "--pki-cache", cache, `${corpus}${name}`]);
    const ms = performance.now() - began;
    assert.equal(code, 2);
    assert.ok(ms < 1000, `${name}: ${Math.round(ms)} ms`);
  }
});

Deno.test("an undefined variable is reported at the column of its '${'", async () => {
  const name = "undefined-variable.yaml";
  const { err } = await run(["validate", "--pki-cache", cache, `${corpus}${name}`]);
  const [, line, column] = /:(\d+):(\d+): /.exec(err[0])!.map(Number);
  const text = (await Deno.readTextFile(`${corpus}${name}`)).split("\n")[line - 1];
  assert.ok(text.slice(column - 1).startsWith("${set.OTHER_SHA1}"), text);
});

Deno.test("dicomtls validate on the corpus folder prints one line per suite, no stack, exit 2", async () => {
  const { code, stdout, stderr } = await runDicomtls(["validate", "--pki-cache", cache, corpus], {
    cwd: fromFileUrl(new URL("..", import.meta.url)),
  });
  const errors = stderr.trimEnd().split("\n");
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(errors.length, files.length, errors.join("\n"));
  assert.ok(!errors.some((l) => /^\s+at /.test(l)), "no stack trace");
});

Deno.test("a PKI spec given to validate or run is one line saying what it is and how to use it, exit 2", async () => {
  const expected = (await Deno.readTextFile(`${corpus}_pki/small.expected`)).trimEnd();
  for (const command of ["validate", "run"]) {
    const { code, out, err } = await run([
      command,
      "--pki-cache",
      cache,
      `${corpus}_pki/small.yaml`,
    ]);
    assert.equal(code, 2);
    assert.deepEqual(out, []);
    assert.deepEqual(
      err.map((l) => l.replaceAll(`${shown}/`, "fixtures/scenarios-broken/")),
      [command === "run" ? `dicomtls run: ${expected}` : expected],
    );
  }
});

Deno.test("validate of a folder whose suites are one level down names those folders, in one line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-broken-nested-" });
  try {
    await Deno.mkdir(`${dir}/dcmtk`);
    await Deno.mkdir(`${dir}/empty`);
    await Deno.writeTextFile(`${dir}/dcmtk/s.yaml`, "suite: s\n");
    const { code, out, err } = await run(["validate", dir]);
    assert.equal(code, 2);
    assert.deepEqual(out, []);
    assert.deepEqual(err, [
      `no *.yaml files in ${dir} (hint: folders are not searched ` +
      `recursively; give the folders that hold suites: ${dir}/dcmtk)`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a SUT's AE title, host and port given bad by --set are each reported, at their line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-broken-set-" });
  try {
    const file = `${dir}/s.yaml`;
    await Deno.writeTextFile(
      file,
      'suite: s\npeers:\n  sut: { ae: "${set.ae}", host: "${set.host}", port: "${set.port}" }\n' +
        "cases: [{ name: a, expect: { echo: success } }]\n",
    );
    const { code, err } = await run([
      "validate",
      file,
      ...["--set", "ae=WAYTOOLONGAETITLE123", "--set", "host=bad_host!", "--set", "port=99999"],
    ]);
    assert.equal(code, 2);
    assert.deepEqual(err.map((l) => l.replace(/ \(.*$/, "")), [
      `${file}:3:14: AE title 'WAYTOOLONGAETITLE123' has 20 characters, more than 16`,
      `${file}:3:33: host "bad_host!" is neither an IP address nor a DNS name`,
      `${file}:3:54: port 99999 is out of range`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
