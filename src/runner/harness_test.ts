// A file a store case names that passed validate but cannot be read as Part 10
// at run time (it changed since) is a bad input, said as such: the case's
// error names the file and what is wrong, never "internal error".
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadSuite } from "../scenario/mod.ts";
import { InputError } from "../yaml/mod.ts";
import { caseErrorMessage } from "./_case.ts";
import { HarnessFiles } from "./harness.ts";

Deno.test("a store file broken after the suite was loaded is an input error naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-harness-" });
  try {
    // The preamble and 'DICM', then no (0002,0000) group length.
    const bytes = new Uint8Array(160);
    bytes.set(new TextEncoder().encode("DICM"), 128);
    const fixture = new URL("../../fixtures/ae/secondary_capture.dcm", import.meta.url);
    await Deno.copyFile(fixture, join(dir, "broken.dcm"));
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
    await Deno.writeFile(join(dir, "broken.dcm"), bytes);
    const e = await new HarnessFiles().scuOptions(suite.cases[0]).then(() => undefined, (e) => e);
    assert.ok(e instanceof InputError, String(e));
    assert.equal(
      caseErrorMessage(e),
      `${
        join(dir, "broken.dcm")
      }: not a DICOM Part 10 file: the meta information does not start with its group length ` +
        "(0002,0000) (hint: give files with the 128-byte preamble, 'DICM' and a meta group (PS3.10))",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
