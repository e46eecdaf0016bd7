/**
 * A host name that does not resolve is a typo on our command line, not a
 * peer that failed: `echo` and `store` say so in one line and exit 2, before
 * a report of a conversation that never began.
 */
import assert from "node:assert/strict";
import { main } from "../src/cli/mod.ts";
import { captureConsole } from "../src/testing/cli.ts";

Deno.test("echo and store to a host name that does not resolve exit 2 with one line naming it", async () => {
  // .invalid never resolves (RFC 6761 6.4).
  for (
    const args of [
      ["echo", "no-such-device.invalid:11112", "--called", "X", "--verify", "none"],
      [
        "store",
        "no-such-device.invalid:11112",
        "fixtures/ae/secondary_capture.dcm",
        "--called",
        "X",
        "--verify",
        "none",
      ],
    ]
  ) {
    const { value: code, out, err } = await captureConsole(() => main(args));
    assert.equal(code, 2, args.join(" "));
    assert.deepEqual(out, []);
    assert.equal(err.length, 1, err.join("\n"));
    assert.equal(
      err[0],
      `dicomtls ${
        args[0]
      }: host 'no-such-device.invalid' does not resolve to an address (hint: check the host name, or give the device's IP address)`,
    );
  }
});
