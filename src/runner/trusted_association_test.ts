import assert from "node:assert/strict";
import type { Case } from "../scenario/mod.ts";
import { trustedCase } from "./trusted_association.ts";

// Only what trustedCase reads.
function aCase(name: string, o: {
  checks: [string, unknown][];
  group?: string;
  skip?: string;
  plain?: boolean;
  fails?: boolean;
}): Case {
  return {
    id: name,
    name,
    group: o.group ?? "g",
    ...(o.skip ? { skip: o.skip } : {}),
    harness: { plain: o.plain ?? false },
    expect: {
      checks: o.checks.map(([path, expected]) => ({ path, expected })),
      fails: o.fails ?? false,
    },
  } as unknown as Case;
}

Deno.test("trustedCase() is the first case of the group expecting an accepted association", () => {
  const cases = [
    aCase("refused", { checks: [["tls", "refused-by-peer"]] }),
    aCase("other suite", { checks: [["echo", "success"]], group: "h" }),
    aCase("skipped", { checks: [["echo", "success"]], skip: "later" }),
    aCase("plain", { checks: [["echo", "success"]], plain: true }),
    aCase("known failure", { checks: [["echo", "success"]], fails: true }),
    aCase("accepted", { checks: [["association", "accepted"]] }),
    aCase("echoes", { checks: [["echo", "success"]] }),
  ];
  assert.equal(trustedCase(cases, "g")?.name, "accepted");
  assert.equal(trustedCase(cases, "h")?.name, "other suite");
});

Deno.test("trustedCase() is undefined for a suite of refusals only", () => {
  const cases = [
    aCase("refused", { checks: [["tls", "refused-by-peer"]] }),
    aCase("echo fails", { checks: [["echo", "failure"]] }),
  ];
  assert.equal(trustedCase(cases, "g"), undefined);
});
