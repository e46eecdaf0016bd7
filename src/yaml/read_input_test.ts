import assert from "node:assert/strict";
import { readInputFile, UnreadableInput } from "./read_input.ts";

Deno.test("readInputFile() words an OS refusal as fileSystemReason() does, and a missing file as missing", async () => {
  const file = await Deno.makeTempFile();
  try {
    for (
      const [path, reason] of [
        [`${file}/x.pem`, "it, or a folder on its path, is a file"],
        [`${file}.absent`, "no such file"],
      ]
    ) {
      const e = await readInputFile(path, { what: "key file", maxBytes: 1024 }).then(
        () => undefined,
        (e) => e,
      );
      assert.ok(e instanceof UnreadableInput, path);
      assert.equal(e.reason, reason);
    }
  } finally {
    await Deno.remove(file);
  }
});
