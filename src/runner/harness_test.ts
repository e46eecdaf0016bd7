// A file a store case names that passed validate (it starts like Part 10)
// but cannot be read as one at run time is a bad input, said as such: the
// case's error names the file and what is wrong, never "internal error".
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadSuite } from "../scenario/mod.ts";
import { InputError } from "../yaml/mod.ts";
import { caseErrorMessage } from "./_case.ts";
import { HarnessFiles } from "./harness.ts";

Deno.test("a store file with a Part 10 header but broken meta is an input error naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-harness-" });
  try {
    // The preamble and 'DICM', then no (0002,0000) group length.
    const bytes = new Uint8Array(160);
    bytes.set(new TextEncoder().encode("DICM"), 128);
    await Deno.writeFile(join(dir, "broken.dcm"), bytes);
    await Deno.writeTextFile(
      join(dir, "suite.yaml"),
      `suite: store
peers:
  sut: { ae: X, host: 127.0.0.1, port: 11112 }
cases:
  - { name: store, operation: store, files: [broken.dcm], expect: { store: success } }
`,
    );
    const suite = await loadSuite({ file: join(dir, "suite.yaml"), env: {} });
    const e = await new HarnessFiles().scuOptions(suite.cases[0]).then(() => undefined, (e) => e);
    assert.ok(e instanceof InputError, String(e));
    assert.equal(
      caseErrorMessage(e),
      `${
        join(dir, "broken.dcm")
      }: the meta information does not start with its group length (0002,0000) ` +
        "(hint: check the case's files: list; each must be a well-formed DICOM Part 10 file)",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
