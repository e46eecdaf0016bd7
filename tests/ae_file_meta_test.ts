/**
 * A C-STORE data set that begins with File Meta elements (group 0002, here
 * (0002,0000) claiming 2 GB) is refused by the reference AE with 0xC000
 * (Cannot understand) and nothing is kept: written after our own File Meta
 * group, it made a Part 10 file with two. The association goes on.
 */
import assert from "node:assert/strict";
import { testPki } from "../src/testing/pki.ts";
import { startTestAe } from "../src/testing/reference_ae.ts";
import {
  datasetHead,
  pDataPdu,
  rawAssociation,
  readAnswer,
  SECONDARY_CAPTURE,
  sendStore,
  storeRqPdu,
} from "../src/testing/raw_association.ts";
import { concatBytes } from "../src/ul/mod.ts";

const pki = await testPki();

Deno.test("the reference AE refuses a C-STORE data set that begins with File Meta elements with 0xC000 and keeps nothing", async () => {
  const storage = await Deno.makeTempDir({ prefix: "dicomtls-filemeta-" });
  const ae = await startTestAe(pki, { storage });
  const association = await rawAssociation({ pki, port: ae.port });
  try {
    // (0002,0000) UL, explicit VR little endian, value 0x80000000: "2 GB of meta follow".
    const meta = new Uint8Array([0x02, 0, 0, 0, 0x55, 0x4c, 4, 0, 0, 0, 0, 0x80]);
    const head = datasetHead({ sopClassUid: SECONDARY_CAPTURE, sopInstanceUid: "1.2.3.7" });
    const dataset = concatBytes([meta, head]);
    const store = { contextId: 3, sopClassUid: SECONDARY_CAPTURE, sopInstanceUid: "1.2.3.7" };
    await association.write(storeRqPdu(3, store));
    // One byte first: the group is known only from the second PDV.
    await association.write(pDataPdu(3, false, false, dataset.subarray(0, 1)));
    await association.write(pDataPdu(3, false, true, dataset.subarray(1)));
    const answer = await readAnswer(association);
    assert.ok("command" in answer, JSON.stringify(answer));
    assert.equal(answer.command.Status, 0xc000);
    assert.match(answer.command.ErrorComment ?? "", /File Meta elements \(group 0002\)/);
    assert.deepEqual([...Deno.readDirSync(storage)], []);
    // The association is fine: a proper store works.
    await sendStore(association, { ...store, sopInstanceUid: "1.2.3.8" });
    const next = await readAnswer(association);
    assert.ok("command" in next, JSON.stringify(next));
    assert.equal(next.command.Status, 0);
    assert.deepEqual([...Deno.readDirSync(storage)].map((e) => e.name), ["1.2.3.8.dcm"]);
  } finally {
    association.close();
    await ae.close();
    await Deno.remove(storage, { recursive: true });
  }
});
