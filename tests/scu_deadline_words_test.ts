/**
 * A wait cut short by the conversation's time limit says so: against a TLS
 * server that completes the handshake and then never answers, the
 * association's timeout names the limit and how to raise it, where it said
 * only "Timed out after N ms" (N being what was left of the limit, 20 ms
 * at the end of a 10,000-file store).
 */
import assert from "node:assert/strict";
import tls from "node:tls";
import type { AddressInfo } from "node:net";
import { runScu } from "../src/scu/mod.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";

const pki = await testPki();
const read = (name: string, ext: "crt" | "key" | "chain") =>
  Deno.readTextFileSync(pkiFile(pki, name, ext));

Deno.test("an association whose peer never answers ends at the time limit, which its error names", async () => {
  const sockets: tls.TLSSocket[] = [];
  // Reads and ignores: the A-ASSOCIATE-RQ gets no answer.
  const server = tls.createServer(
    { cert: read("server", "chain"), key: read("server", "key") },
    (s) => {
      sockets.push(s);
      s.on("data", () => {});
      s.on("error", () => {});
    },
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const outcome = await runScu({
      host: "127.0.0.1",
      port: (server.address() as AddressInfo).port,
      callingAe: "DICOMTLS",
      calledAe: "SILENT",
      policy: { method: "none" },
      timeoutMs: 1500,
    });
    assert.equal(outcome.tls?.status, "established");
    assert.equal(outcome.association?.result, "timeout");
    assert.match(
      outcome.association!.error!,
      /^Timed out after \d+ ms in Sta5 waiting for A-ASSOCIATE-AC: the conversation's time limit \(1\.5 s\) ran out; raise --timeout, or the case's timeout; we sent an A-ABORT and closed$/,
    );
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  }
});
