import assert from "node:assert/strict";
import schema from "../../schemas/scenario.schema.json" with { type: "json" };
import { EXPECT_KEYS, EXPECTATION_KEYS } from "./expectation_keys.ts";

type Node = { properties?: Record<string, Node>; oneOf?: Node[]; $ref?: string };

// The paths the schema allows under expect: a key, or key.sub for a mapping.
function schemaPaths(): string[] {
  const expect = schema.definitions.expect as unknown as Node;
  const paths: string[] = [];
  for (const [key, node] of Object.entries(expect.properties!)) {
    if (key === "fails") continue;
    const mapping = node.properties ?? node.oneOf?.find((n) => n.properties)?.properties;
    const scalar = !node.properties;
    if (scalar && key !== "tls") paths.push(key);
    for (const sub of Object.keys(mapping ?? {})) paths.push(`${key}.${sub}`);
  }
  return paths.sort();
}

Deno.test("EXPECTATION_KEYS lists exactly the expectations the JSON Schema allows", () => {
  assert.deepEqual(Object.keys(EXPECTATION_KEYS).sort(), schemaPaths());
});

Deno.test("EXPECT_KEYS are the keys of expect: in the JSON Schema but fails", () => {
  const keys = Object.keys((schema.definitions.expect as unknown as Node).properties!);
  assert.deepEqual([...EXPECT_KEYS].sort(), keys.filter((k) => k !== "fails").sort());
});
