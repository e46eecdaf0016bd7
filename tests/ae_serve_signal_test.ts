/**
 * `dicomtls serve` as a child process stops cleanly on SIGTERM and SIGINT
 * while an association is open: the association either finishes within the
 * grace period or is aborted with an A-ABORT, the process exits 0, and the
 * port no longer accepts connections.
 */
import assert from "node:assert/strict";
import { cEcho } from "../src/dimse/mod.ts";
import type { RunningProcess } from "../src/process/mod.ts";
import { AssociationAborted } from "../src/ul/mod.ts";
import { holdAssociation, startServeProcess } from "../src/testing/reference_ae.ts";
import { testPki } from "../src/testing/pki.ts";

const pki = await testPki();

async function refused(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return false;
  } catch (e) {
    return e instanceof Deno.errors.ConnectionRefused;
  }
}

function logEntries(proc: RunningProcess): Record<string, unknown>[] {
  return proc.log().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}

Deno.test("dicomtls serve on SIGTERM lets an open association finish, then exits 0", async () => {
  const proc = await startServeProcess(pki);
  const { association, close } = await holdAssociation(pki, proc.port);
  try {
    Deno.kill(proc.pid, "SIGTERM");
    // Within the grace period the association still works and releases normally.
    assert.equal((await cEcho(association, { timeoutMs: 5000 })).code, 0);
    await association.release({ timeoutMs: 5000 });
    assert.equal(await proc.exited, 0, proc.log());
    assert.match(proc.log(), /dicomtls serve: SIGTERM: stopping/);
    const [entry] = logEntries(proc);
    assert.equal(entry.result, "accepted");
    assert.equal(entry.released, true);
    assert.ok(await refused(proc.port), "nothing listens on the port any more");
  } finally {
    close();
    await proc.stop();
  }
});

Deno.test("dicomtls serve on SIGINT aborts an association still open after the grace period, then exits 0", async () => {
  const proc = await startServeProcess(pki);
  const { association, close } = await holdAssociation(pki, proc.port);
  try {
    Deno.kill(proc.pid, "SIGINT");
    const error = await association.receivePData({ timeoutMs: 10_000 }).catch((e) => e);
    assert.ok(error instanceof AssociationAborted, String(error));
    assert.equal(error.by, "peer");
    assert.equal(await proc.exited, 0, proc.log());
    assert.match(proc.log(), /dicomtls serve: SIGINT: stopping/);
    const [entry] = logEntries(proc);
    assert.equal(entry.result, "aborted");
    assert.match(String(entry.detail), /aborted by us: the AE stopped after 2000 ms/);
    assert.ok(await refused(proc.port), "nothing listens on the port any more");
  } finally {
    close();
    await proc.stop();
  }
});
