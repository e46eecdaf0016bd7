import assert from "node:assert/strict";
import { parseYaml } from "./source.ts";
import { validateSchema } from "./schema.ts";

const SCHEMA = {
  $id: "https://example.test/t.schema.json",
  type: "object",
  properties: {
    wait: {
      examples: ["5s"],
      oneOf: [{ type: "string", title: "a duration such as 5s" }, { type: "number" }],
    },
    alert: {
      oneOf: [{ $ref: "#/definitions/alert" }, {
        type: "array",
        items: { $ref: "#/definitions/alert" },
      }],
    },
    cert: {
      oneOf: [
        { type: "string" },
        {
          type: "object",
          required: ["cert", "key"],
          additionalProperties: false,
          properties: { cert: {}, key: {} },
        },
        { type: "object", required: ["p12"], additionalProperties: false, properties: { p12: {} } },
      ],
    },
    on: { type: "boolean" },
  },
  definitions: { alert: { enum: ["unknown_ca", "bad_certificate"] } },
};

const problem = (yaml: string) => {
  try {
    validateSchema(parseYaml(yaml, "t.yaml"), SCHEMA);
  } catch (e) {
    return (e as Error).message;
  }
  return "valid";
};

Deno.test("a wrong type where a schema offers alternatives names every one, with the key's example and the schema file", () => {
  assert.equal(
    problem("wait: [5s]\n"),
    "t.yaml:1:7: 'wait' must be a duration such as 5s or a number, not a list (hint: e.g. wait: 5s; see schemas/t.schema.json)",
  );
});

Deno.test("a value that may be one or a list of names says so, the names resolved through $ref", () => {
  assert.match(
    problem("alert: 5\n"),
    /'alert' must be one of unknown_ca, bad_certificate, or a list of them, not number 5/,
  );
});

Deno.test("a mapping is judged by the alternative it comes closest to: a missing key, not an unknown one", () => {
  assert.match(problem("cert: { cert: a.pem }\n"), /'cert' is missing the required key 'key'/);
  assert.match(
    problem("cert: [a]\n"),
    /'cert' must be text, a mapping with cert and key or a mapping with p12, not a list/,
  );
});

Deno.test("yes where a boolean is wanted says that YAML 1.2 reads it as text", () => {
  assert.match(
    problem("on: yes\n"),
    /'on' must be true or false, not string "yes" \(hint: write true or false: YAML 1.2 reads 'yes' as text\)/,
  );
});
