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
import { part10Bytes } from "../src/part10/mod.ts";
import { MAX_TRACED_PDUS, TAIL_TRACES } from "../src/scu/_traces.ts";
import { spawnDicomtls, unsafeOnTerminal } from "../src/testing/cli.ts";
import { clientTlsArgs, pkiFile, testPki } from "../src/testing/pki.ts";
import {
  datasetHead,
  readPdu,
  SECONDARY_CAPTURE,
  writeDrained,
} from "../src/testing/raw_association.ts";
import { listenTls, loadCredentials } from "../src/tls/mod.ts";
import { type AAssociateRq, decodePdu, encodePdu } from "../src/ul/mod.ts";

const pki = await testPki();
const DEADLINE_MS = 2000;

/** A TLS SCP that accepts every context with a maximum P-DATA-TF length of 7 and reads without end. */
async function tinyPduScp() {
  const credentials = await loadCredentials({
    cert: pkiFile(pki, "server", "chain"),
    key: pkiFile(pki, "server", "key"),
  });
  return await listenTls({
    credentials,
    onConnection: async ({ socket }) => {
      socket.on("error", () => {});
      const rq = decodePdu(await readPdu(socket, 10_000)) as AAssociateRq;
      await writeDrained(
        socket,
        encodePdu({
          type: "A-ASSOCIATE-AC",
          protocolVersion: 1,
          calledAe: rq.calledAe,
          callingAe: rq.callingAe,
          applicationContext: rq.applicationContext,
          presentationContexts: rq.presentationContexts.map((pc) => ({
            id: pc.id,
            result: "acceptance",
            transferSyntax: pc.transferSyntaxes[0],
          })),
          userInformation: { maxPduLength: 7, implementationClassUid: "1.2.3" },
        }),
      );
      socket.on("data", () => {});
      socket.resume();
    },
  });
}

Deno.test("dicomtls store to an SCP asking for 7-byte P-DATA-TFs stops sending at its deadline and lists a bounded number of PDUs", async () => {
  const pixelLength = 4 << 20;
  const head = datasetHead({
    sopClassUid: SECONDARY_CAPTURE,
    sopInstanceUid: "2.25.7",
    pixelLength,
  });
  const dataset = new Uint8Array(head.length + pixelLength);
  dataset.set(head);
  const file = await Deno.makeTempFile({ suffix: ".dcm" });
  await Deno.writeFile(
    file,
    part10Bytes({
      dataset,
      transferSyntax: "1.2.840.10008.1.2.1",
      sopClassUid: SECONDARY_CAPTURE,
      sopInstanceUid: "2.25.7",
    }),
  );
  const scp = await tinyPduScp();
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
    // Ends by the deadline, give or take the abort and the close (ratio, not a speed target).
    assert.ok(outcome.durationMs < DEADLINE_MS * 1.5, `${outcome.durationMs} ms`);
    assert.equal(outcome.pdus.length, MAX_TRACED_PDUS + TAIL_TRACES);
    assert.ok(outcome.pdusNotListed! > 0, `${outcome.pdusNotListed} not listed`);
    assert.equal(outcome.pdus[0].type, "A-ASSOCIATE-RQ");
    // The end of the conversation is listed: the last P-DATA-TFs, one data byte each.
    assert.deepEqual(
      outcome.pdus.slice(-TAIL_TRACES).map((p) => `${p.direction} ${p.type} ${p.length}`),
      Array(TAIL_TRACES).fill("sent P-DATA-TF 13"),
    );
  } finally {
    await scp.close();
    await Deno.remove(file);
  }
});
