/**
 * `dicomtls store` against an SCP over TLS whose A-ASSOCIATE-AC asks for
 * P-DATA-TFs of at most 7 bytes (one data byte per PDV; PS3.8 sets no
 * minimum) and that reads everything at once: the data set becomes one PDU
 * per byte. The send must stop at the conversation's deadline although the
 * peer never makes us wait for it to read, and the PDU traces of the
 * Outcome stay bounded however many PDUs went.
 */
import assert from "node:assert/strict";
import type { Outcome } from "../src/outcome/mod.ts";
import { MAX_TRACED_PDUS, TAIL_TRACES } from "../src/ul/mod.ts";
import { spawnDicomtls, unsafeOnTerminal } from "../src/testing/cli.ts";
import { associatingScp } from "../src/testing/hostile_peers.ts";
import { clientTlsArgs, testPki } from "../src/testing/pki.ts";
import { secondaryCaptureFile } from "../src/testing/raw_association.ts";

const pki = await testPki();
const DEADLINE_MS = 2000;

Deno.test("dicomtls store to an SCP asking for 7-byte P-DATA-TFs stops sending at its deadline and lists a bounded number of PDUs", async () => {
  const file = await Deno.makeTempFile({ suffix: ".dcm" });
  await Deno.writeFile(
    file,
    secondaryCaptureFile({ sopInstanceUid: "2.25.7", pixelLength: 4 << 20 }),
  );
  // Reads everything, answers nothing.
  const scp = await associatingScp(pki, (socket) => {
    socket.on("data", () => {});
    socket.resume();
    return Promise.resolve();
  }, { maxPduLength: 7 });
  try {
    const child = spawnDicomtls([
      "store",
      `127.0.0.1:${scp.port}`,
      file,
      "--called",
      "X",
      ...clientTlsArgs(pki),
      "--timeout",
      `${DEADLINE_MS}ms`,
      "--json",
    ]);
    // Without the bound the 4 Mi PDUs take minutes: stop it, and fail below.
    const guard = setTimeout(() => child.kill("SIGKILL"), 10 * DEADLINE_MS);
    const run = await child.output();
    clearTimeout(guard);
    assert.equal(run.signal, null, "dicomtls store went on long past its deadline");
    assert.deepEqual(unsafeOnTerminal(run.stdout), []);
    const outcome: Outcome = JSON.parse(new TextDecoder().decode(run.stdout));
    assert.equal(run.code, 1);
    assert.equal(outcome.dimse?.status, "timeout");
    assert.match(
      outcome.dimse!.operations[0].statusName!,
      /waiting for the peer to take our P-DATA-TFs \(\d+ sent, its maximum length 7 bytes\): the conversation's time limit \(2 s\) ran out/,
    );
    // Ends by the deadline, give or take the close (ratio, not a speed target).
    assert.ok(outcome.durationMs < DEADLINE_MS * 1.5, `${outcome.durationMs} ms`);
    assert.equal(outcome.pdus.length, MAX_TRACED_PDUS + TAIL_TRACES);
    assert.ok(outcome.pdusNotListed! > 0, `${outcome.pdusNotListed} not listed`);
    assert.equal(outcome.pdus[0].type, "A-ASSOCIATE-RQ");
    // The end of the conversation is listed: the last P-DATA-TFs, one data byte each, and the
    // A-ABORT we gave up with.
    assert.deepEqual(
      outcome.pdus.slice(-TAIL_TRACES).map((p) => `${p.direction} ${p.type} ${p.length}`),
      [...Array(TAIL_TRACES - 1).fill("sent P-DATA-TF 13"), "sent A-ABORT 10"],
    );
  } finally {
    await scp.close();
    await Deno.remove(file);
  }
});
