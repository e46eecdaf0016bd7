import assert from "node:assert/strict";
import { dcmjs } from "../src/testing/dcmjs.ts";
import { readPart10 } from "../src/part10/mod.ts";
import {
  echoscuArgs,
  holdAssociation,
  runDcmtk,
  startTestAe,
  waitForLogs,
} from "../src/testing/reference_ae.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const FIXTURE = new URL("../fixtures/ae/secondary_capture.dcm", import.meta.url).pathname;

Deno.test({
  name: "storescu stores a file in the reference AE that dcmjs reads back identical",
  ignore: !havePeer("storescu", "dcmtk"),
  async fn() {
    const pki = await testPki("standard");
    const storage = await Deno.makeTempDir({ prefix: "dicomtls-ae-storage-" });
    const ae = await startTestAe(pki, { storage });
    try {
      const { output } = await runDcmtk("storescu", [
        "-v",
        "+tls",
        pkiFile(pki, "client", "key"),
        pkiFile(pki, "client", "crt"),
        "+cf",
        pkiFile(pki, "root", "crt"),
        "-aet",
        "STORESCU",
        "-aec",
        "REFAE",
        "127.0.0.1",
        String(ae.port),
        FIXTURE,
      ]);
      assert.match(output, /Received Store Response \(Success\)/, output);
      await waitForLogs(ae, 1);
      const sent = readPart10(await Deno.readFile(FIXTURE));
      const file = `${storage}/${sent.sopInstanceUid}.dcm`;
      assert.equal(ae.logs[0].dimse[0].file, file);
      const received = await Deno.readFile(file);
      assert.deepEqual(readPart10(received).dataset, sent.dataset);
      const read = (bytes: Uint8Array) =>
        dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict;
      assert.deepEqual(read(received), read(await Deno.readFile(FIXTURE)));
    } finally {
      await ae.close();
      await Deno.remove(storage, { recursive: true });
    }
  },
});

Deno.test({
  name: "the reference AE rejects unknown called and calling AE titles with the PS3.8 reasons",
  ignore: !havePeer("echoscu", "dcmtk"),
  async fn() {
    const pki = await testPki("standard");
    const ae = await startTestAe(pki, { acceptCalling: ["MODALITY"] });
    try {
      const wrongCalling = await runDcmtk("echoscu", echoscuArgs(pki, ae, "client"));
      assert.match(wrongCalling.output, /Association Rejected/, wrongCalling.output);
      const wrongCalled = await runDcmtk(
        "echoscu",
        echoscuArgs(pki, ae, "client", "NOTREFAE").map((a) => (a === "ECHOSCU" ? "MODALITY" : a)),
      );
      assert.match(wrongCalled.output, /Association Rejected/, wrongCalled.output);
      await waitForLogs(ae, 2);
      assert.deepEqual(ae.logs.map((l) => l.reject?.reason), [
        "calling-ae-title-not-recognized",
        "called-ae-title-not-recognized",
      ]);
      assert.ok(
        ae.logs.every((l) => l.result === "rejected" && l.reject?.result === "rejected-permanent"),
      );
    } finally {
      await ae.close();
    }
  },
});

Deno.test({
  name:
    "the reference AE refuses associations past its maximum with rejected-transient local-limit-exceeded",
  ignore: !havePeer("echoscu", "dcmtk"),
  async fn() {
    const pki = await testPki("standard");
    const ae = await startTestAe(pki, { maxAssociations: 1 });
    const held = await holdAssociation(pki, ae.port);
    try {
      const refused = await runDcmtk("echoscu", echoscuArgs(pki, ae, "client"));
      assert.match(refused.output, /Association Rejected/, refused.output);
      await waitForLogs(ae, 1);
      assert.deepEqual(ae.logs[0].reject, {
        result: "rejected-transient",
        source: "service-provider-presentation",
        reason: "local-limit-exceeded",
      });
      await held.association.release();
      const served = await runDcmtk("echoscu", echoscuArgs(pki, ae, "client"));
      assert.match(served.output, /Received Echo Response \(Success\)/, served.output);
    } finally {
      held.close();
      await ae.close();
    }
  },
});

function serve(args: string[]): Promise<{ code: number; stderr: string }> {
  return runDicomtls(["serve", "--port", "0", ...args]);
}

Deno.test("dicomtls serve refuses a bad config with file:line and exit 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-ae-config-" });
  try {
    await Deno.writeTextFile(`${dir}/ae.yaml`, "ae: REFAE\nsecurity:\n  verify: chian\n");
    const { code, stderr } = await serve(["--config", `${dir}/ae.yaml`]);
    assert.equal(code, 2);
    assert.match(
      stderr,
      new RegExp(
        `^dicomtls serve: ${dir}/ae\\.yaml:3:11: 'security\\.verify' has the value "chian"`,
      ),
    );
    assert.doesNotMatch(stderr, /\n\s+at /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dicomtls serve refuses a store with no or several matching certificates, exit 2", async () => {
  const pki = await testPki("standard");
  const none = await serve(["--store", pki.dir, "--subject", "nobody.example", "--verify", "none"]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no certificate matches subject CN=nobody\.example \(hint: it holds: /);
  const several = await serve(["--store", pki.dir, "--subject", "HARNESS", "--verify", "none"]);
  assert.equal(several.code, 2);
  assert.match(
    several.stderr,
    /\d+ certificates match subject CN=HARNESS \(hint: select one by thumbprint: /,
  );
});
