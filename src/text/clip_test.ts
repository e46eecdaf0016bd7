import assert from "node:assert/strict";
import { clipLine } from "./clip.ts";

Deno.test("clipLine() keeps a line within the bound and cuts a longer one, saying its length", () => {
  assert.equal(clipLine("CN=server", 9), "CN=server");
  assert.equal(clipLine("OU=a, ".repeat(1000), 12), "OU=a, OU=a, ... (6,000 characters)");
});
