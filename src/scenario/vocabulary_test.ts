import assert from "node:assert/strict";
import { VERIFICATION_REASONS } from "../outcome/mod.ts";
import { TLS_ALERTS } from "../tls/alerts.ts";
import { ALERT_NAMES, SCENARIO_SCHEMA, SCENARIO_VERIFICATION_REASONS } from "./vocabulary.ts";

Deno.test("the scenario schema's alert names are exactly the TLS layer's", () => {
  assert.deepEqual([...ALERT_NAMES].sort(), TLS_ALERTS.map((a) => a.name).sort());
});

Deno.test("the scenario schema's verification reasons are exactly the Outcome's", () => {
  assert.deepEqual([...SCENARIO_VERIFICATION_REASONS], [...VERIFICATION_REASONS]);
});

Deno.test("the scenario schema sets additionalProperties false and a description on every key", () => {
  const problems: string[] = [];
  const visit = (node: unknown, path: string) => {
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    if (n.properties) {
      if (n.additionalProperties !== false) problems.push(`${path}: additionalProperties`);
      for (
        const [k, v] of Object.entries(n.properties as Record<string, Record<string, unknown>>)
      ) {
        const ref = typeof v.$ref === "string" ? resolveRef(v.$ref) : {};
        if (!v.description && !ref.description) problems.push(`${path}.${k}: description`);
      }
    }
    for (const [k, v] of Object.entries(n)) visit(v, `${path}/${k}`);
  };
  const resolveRef = (ref: string) =>
    ref.split("/").slice(1).reduce<Record<string, unknown>>(
      (v, k) => v[k] as Record<string, unknown>,
      SCENARIO_SCHEMA as Record<string, unknown>,
    );
  visit(SCENARIO_SCHEMA, "#");
  assert.deepEqual(problems, []);
});
