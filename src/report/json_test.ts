import { deepStrictEqual, ok, rejects, strictEqual, throws } from "node:assert/strict";
import { Ajv } from "ajv";
import {
  parseRunResult,
  readRunResult,
  renderHtml,
  renderJson,
  renderJsonChunks,
  renderJunit,
  RESULTS_SCHEMA,
  RESULTS_SCHEMA_VERSION,
} from "./mod.ts";
import { redactRun } from "./_text.ts";
import { toJson } from "../text/mod.ts";
import { VERIFICATION_REASONS } from "../outcome/mod.ts";
import type { RunResult } from "../runner/result.ts";
import { InputError } from "../yaml/mod.ts";
import { fullRun } from "../testing/full_run.ts";
import { generateRun } from "../testing/generated_run.ts";
import { sampleRun, SECRET_MARKERS } from "../testing/sample_run.ts";

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  definitions?: Record<string, Schema>;
};
const schema = RESULTS_SCHEMA as Schema;
const validate = new Ajv({ allErrors: true, strict: true }).compile(RESULTS_SCHEMA);

function resolve(s: Schema): Schema {
  return s.$ref ? schema.definitions![s.$ref.split("/").pop()!] : s;
}

/** Every property path the schema declares, e.g. "suites[].cases[].outcome.tls.alert.code". */
function schemaPaths(s: Schema, path = "", out = new Set<string>()): Set<string> {
  const r = resolve(s);
  if (r.items) schemaPaths(r.items, `${path}[]`, out);
  for (const [k, v] of Object.entries(r.properties ?? {})) {
    const p = path ? `${path}.${k}` : k;
    out.add(p);
    schemaPaths(v, p, out);
  }
  return out;
}

/** Every property path present in a value. */
function valuePaths(v: unknown, path = "", out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => valuePaths(x, `${path}[]`, out));
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      out.add(p);
      valuePaths(x, p, out);
    }
  }
  return out;
}

Deno.test("the results schema accepts the sample, exemplar and generated runs as renderJson writes them", () => {
  for (const run of [sampleRun(), fullRun() as RunResult, generateRun({ cases: 50 })]) {
    const value: { schemaVersion: number } = JSON.parse(renderJson(run));
    ok(validate(value), JSON.stringify(validate.errors, null, 2));
    strictEqual(value.schemaVersion, RESULTS_SCHEMA_VERSION);
    strictEqual(Object.keys(value)[0], "schemaVersion");
  }
});

Deno.test("the results schema and the RunResult type do not drift apart", () => {
  // fullRun() is typed Full<RunResult>: every optional field must be set, so a
  // field added to the TypeScript types breaks the type check of the fixture;
  // additionalProperties: false makes the schema refuse it until it is added
  // there too; and every property the schema declares must occur in it.
  const declared = schemaPaths(schema);
  const present = valuePaths(fullRun());
  const missing = [...declared].filter((p) => !present.has(p));
  deepStrictEqual(missing, [], "declared in the schema but absent from the fully-populated run");
  ok(validate(fullRun()), JSON.stringify(validate.errors, null, 2));
  const reasons = resolve(schema.definitions!.Verification.properties!.reasons.items!).enum;
  deepStrictEqual(reasons, [...VERIFICATION_REASONS]);
});

Deno.test("the results schema refuses a field it does not know", () => {
  const run = JSON.parse(renderJson(sampleRun()));
  run.suites[0].cases[0].outcome.tls.sessionTicket = "x";
  ok(!validate(run));
});

Deno.test("renderJson() redacts secrets and round-trips through parseRunResult()", () => {
  const text = renderJson(sampleRun());
  for (const secret of SECRET_MARKERS) {
    ok(!text.includes(secret), `results.json contains ${secret}`);
  }
  const back = parseRunResult(text, "results.json");
  deepStrictEqual(back.summary, sampleRun().summary);
  deepStrictEqual(back.suites[0].cases[0].settings?.password, "[redacted]");
  deepStrictEqual(back.suites[0].cases[0].settings?.certificate, "client");
  strictEqual(back.suites[0].cases[0].outcome?.tls?.peer?.key, "RSA 2048");
  deepStrictEqual(back.suites[0].cases[0].matrix, { key: "ec-p256" });
});

Deno.test("parseRunResult() names the file for text that is not JSON", () => {
  throws(() => parseRunResult("{ nope", "shard-1.json"), (e: Error) => {
    ok(e instanceof InputError);
    ok(e.message.startsWith("shard-1.json:1:3: JSON syntax error: "), e.message);
    ok(!e.message.includes("YAML"), e.message);
    return true;
  });
  throws(() => parseRunResult('{\n  "a": 1,\n}', "r.json"), (e: Error) => {
    strictEqual(
      e.message,
      "r.json:3:1: JSON syntax error: Expected double-quoted property name (hint: pass the results.json that 'dicomtls run --json' wrote)",
    );
    return true;
  });
});

Deno.test("parseRunResult() refuses a nest deeper than 64 and a string longer than 16 Mi characters before walking them", () => {
  const refused = (text: string, what: string) =>
    throws(() => parseRunResult(text, "r.json"), (e: Error) => {
      ok(e instanceof InputError);
      ok(e.message.startsWith(`r.json: ${what}`), e.message);
      ok(!/YAML|stack/.test(e.message), e.message);
      return true;
    });
  const run = JSON.parse(renderJson(sampleRun()));
  // Where the schema takes any object: the reports would recurse into it.
  run.suites[0].cases[0].settings = { deep: "@@" };
  const deep = JSON.stringify(run).replace('"@@"', "[".repeat(200_000) + "]".repeat(200_000));
  refused(deep, "arrays and objects nested more than 64 deep");
  // Where the schema takes no such key: the error's position came from YAML, which overflowed.
  refused(
    `${JSON.stringify(run).slice(0, -1)}, "x": ${"[".repeat(200_000)}${"]".repeat(200_000)}}`,
    "arrays and objects nested more than 64 deep",
  );
  const named = JSON.parse(renderJson(sampleRun()));
  named.suites[0].cases[0].name = "n".repeat(16 * 1024 * 1024 + 1);
  refused(JSON.stringify(named), "a string of 16,777,217 characters, more than the 16,777,216");
});

Deno.test("parseRunResult() words a schema problem of JSON that YAML cannot read without YAML", () => {
  const run = JSON.parse(renderJson(sampleRun()));
  // A duplicate key is JSON (the last wins) but not YAML: the positions cannot come from YAML.
  const text = JSON.stringify({ ...run, extra: 1 }).replace('"tool":', '"tool": 1, "tool":');
  throws(() => parseRunResult(text, "r.json"), (e: Error) => {
    ok(e instanceof InputError);
    ok(e.message.startsWith("r.json: "), e.message);
    ok(e.message.includes("'extra'"), e.message);
    ok(!e.message.includes("YAML"), e.message);
    return true;
  });
});

Deno.test("readRunResult() refuses a file larger than its limit without parsing it", async () => {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(file, renderJson(sampleRun()));
    strictEqual((await readRunResult(file)).summary.total, sampleRun().summary.total);
    await rejects(readRunResult(file, 1000), (e: Error) => {
      ok(e instanceof InputError);
      strictEqual(
        e.message,
        `cannot read results.json ${file}: it is larger than the 1000 bytes a results.json may be (hint: merge the results of a run of fewer cases, or split it into more shards)`,
      );
      return true;
    });
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("parseRunResult() refuses another schemaVersion, naming the file", () => {
  const text = renderJson(sampleRun()).replace('"schemaVersion": 1', '"schemaVersion": 2');
  throws(() => parseRunResult(text, "old/results.json"), (e: Error) => {
    ok(e instanceof InputError);
    ok(
      e.message.startsWith("old/results.json: schemaVersion is 2; this dicomtls reads 1"),
      e.message,
    );
    return true;
  });
});

Deno.test("parseRunResult() points at the line and column of a shape the schema refuses", () => {
  const run = JSON.parse(renderJson(sampleRun()));
  run.suites[0].cases[1].status = "green";
  const text = JSON.stringify(run, null, 2);
  const line = text.split("\n").findIndex((l) => l.includes('"green"')) + 1;
  throws(() => parseRunResult(text, "r.json"), (e: Error) => {
    ok(e instanceof InputError);
    ok(e.message.startsWith(`r.json:${line}:`), e.message);
    ok(e.message.includes("suites[0].cases[1].status"), e.message);
    return true;
  });
});

Deno.test("renderJson() writes C1 and bidi characters as \\uXXXX escapes and keeps the exact value", () => {
  const run = sampleRun();
  const hostile = "CN=\u009b2K\u202Eevil\u2066\x7f";
  run.suites[0].cases[2].message = hostile;
  const text = renderJson(run);
  ok(!/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text), "nothing raw a terminal acts on");
  ok(text.includes("CN=\\u009b2K\\u202eevil\\u2066\\u007f"));
  strictEqual(parseRunResult(text, "results.json").suites[0].cases[2].message, hostile);
});

Deno.test("renderJsonChunks() writes a case at a time the same text as one JSON text of the redacted run", () => {
  const empty = sampleRun();
  empty.suites[0] = { ...empty.suites[0], cases: [] };
  for (const run of [sampleRun(), fullRun() as RunResult, generateRun({ cases: 3000 }), empty]) {
    const { schemaVersion: _, ...rest } = redactRun(run);
    const whole = `${toJson({ schemaVersion: RESULTS_SCHEMA_VERSION, ...rest }, { indent: 2 })}\n`;
    const chunks = [...renderJsonChunks(run)];
    strictEqual(chunks.join(""), whole);
    ok(chunks.every((c) => c.length < 2 * 1024 * 1024), "no chunk is the whole report");
    if (whole.length > 4 * 1024 * 1024) ok(chunks.length > 4, `${chunks.length} chunks`);
  }
  for (const marker of SECRET_MARKERS) {
    ok(![...renderJsonChunks(sampleRun())].join("").includes(marker));
  }
});

Deno.test("a case's password given by --set under another name is redacted from every report's command line", () => {
  const run = sampleRun();
  run.invocation = {
    commandLine: ["dicomtls", "run", "s.yaml", "--set", "pw=hunter2", "--set=p=hunter2"],
    host: "h",
    workingDirectory: "/w",
  };
  for (
    const [name, text] of [
      ["results.json", renderJson(run)],
      ["junit.xml", renderJunit(run)],
      ["report.html", renderHtml(run)],
    ]
  ) {
    ok(!text.includes("hunter2"), `${name} shows the password`);
    ok(text.includes("pw=[redacted]"), `${name} lost the redacted argument`);
  }
});

Deno.test("renderJson() carries the suite's and each case's description; results without them still parse", () => {
  const text = renderJson(sampleRun());
  const back = parseRunResult(text, "results.json");
  strictEqual(back.suites[0].description, sampleRun().suites[0].description);
  strictEqual(back.suites[0].cases[0].description, sampleRun().suites[0].cases[0].description);
  ok(
    text.includes(
      '"description": "DCMTK storescp with mutual TLS\\nsecond line <script>alert(1)</script> \\u202eevil"',
    ),
  );
  strictEqual(
    back.suites[1].description,
    undefined,
    "no empty description for a suite without one",
  );
  // A schemaVersion 1 results.json from before descriptions were carried.
  const old = JSON.parse(text);
  delete old.suites[0].description;
  delete old.suites[0].cases[0].description;
  strictEqual(parseRunResult(JSON.stringify(old), "old.json").suites[0].description, undefined);
});
