/**
 * runScu with several C-STOREs against the reference AE: a file whose SOP
 * class the SCP refused at negotiation is reported as not sent, and the
 * others are still stored on the same association.
 */
import assert from "node:assert/strict";
import { readPart10 } from "../src/part10/mod.ts";
import { runScu } from "../src/scu/mod.ts";
import { loadTrustAnchors } from "../src/security/mod.ts";
import { loadCredentials } from "../src/tls/mod.ts";
import { startTestAe } from "../src/testing/reference_ae.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

Deno.test("runScu goes on storing after a file whose SOP class the SCP refused", async () => {
  const pki = await testPki();
  const storage = await Deno.makeTempDir({ prefix: "dicomtls-scu-store-" });
  const ae = await startTestAe(pki, { storage });
  try {
    const file = readPart10(
      await Deno.readFile(new URL("../fixtures/ae/secondary_capture.dcm", import.meta.url)),
    );
    const unknown = {
      ...file,
      sopClassUid: "1.2.826.0.1.3680043.10.1463.99",
      sopInstanceUid: "1.2.3.4",
    };
    const outcome = await runScu({
      host: "127.0.0.1",
      port: ae.port,
      callingAe: "DICOMTLS",
      calledAe: "REFAE",
      credentials: await loadCredentials({
        cert: pkiFile(pki, "client", "crt"),
        key: pkiFile(pki, "client", "key"),
      }),
      policy: {
        method: "chain",
        anchors: (await loadTrustAnchors([pkiFile(pki, "root", "crt")])).der,
      },
      timeoutMs: 5000,
      operations: [{ command: "C-STORE", file: unknown }, { command: "C-STORE", file }],
    });
    assert.equal(outcome.association?.result, "accepted");
    const [refused, stored] = outcome.dimse!.operations;
    assert.equal(refused.category, "failure");
    assert.match(refused.statusName!, /^not sent: the peer accepted no context/);
    assert.equal(stored.category, "success");
    assert.equal(outcome.dimse?.status, "failure");
    assert.equal(outcome.association?.released, true);
    assert.equal(outcome.ok, false);
    assert.deepEqual([...Deno.readDirSync(storage)].map((e) => e.name), [
      `${file.sopInstanceUid}.dcm`,
    ]);
  } finally {
    await ae.close();
    await Deno.remove(storage, { recursive: true });
  }
});
