/**
 * `dicomtls serve` under `ulimit -n 256` against 400 attacking TCP
 * connections (issue 14): the connection cap keeps it from running out of
 * file descriptors; and when it does run out (the cap lifted), it says so,
 * and once the attackers are gone it accepts again (Deno's listener alone
 * never would).
 */
import assert from "node:assert/strict";
import type { RunningProcess } from "../src/process/mod.ts";
import { havePeer } from "../src/testing/peers.ts";
import { testPki } from "../src/testing/pki.ts";
import { echoscuArgs, runDcmtk, startServeProcess } from "../src/testing/reference_ae.ts";
import { waitUntil } from "../src/testing/wait.ts";
import { openSilent, processUsage } from "../src/testing/hostile_peers.ts";

const pki = await testPki();
const FILE_LIMIT = 256;
const ATTACKERS = 400;

function echoscu(port: number) {
  return runDcmtk("echoscu", ["-to", "10", ...echoscuArgs(pki, { port }, "client")]);
}

async function attackThenLeave(serve: RunningProcess & { port: number }, until: RegExp) {
  const attackers = await openSilent({ port: serve.port, count: ATTACKERS });
  await waitUntil(() => until.test(serve.log()), 10_000);
  assert.match(serve.log(), until);
  attackers.forEach((a) => a.socket.destroy());
}

Deno.test({
  name:
    "dicomtls serve under ulimit -n 256 closes connections past its cap at once, logs it, and accepts again once 400 attackers are gone",
  ignore: !havePeer("echoscu", "dcmtk"),
  async fn() {
    const serve = await startServeProcess(pki, ["--max-connections-per-address", "1000"], {
      fileLimit: FILE_LIMIT,
    });
    try {
      await attackThenLeave(
        serve,
        /"result":"connection-limit".*open connections in all \(maxConnections\) reached the limit of 64/,
      );
      await waitUntil(async () => (await processUsage(serve.pid)).fds < 64, 10_000);
      const after = await echoscu(serve.port);
      assert.equal(after.code, 0, after.output);
      // The cap kept descriptors free: the listener never stopped accepting.
      await new Promise((r) => setTimeout(r, 2500));
      assert.doesNotMatch(serve.log(), /out of file descriptors|listening again/);
    } finally {
      await serve.stop();
    }
  },
});

Deno.test({
  name:
    "dicomtls serve under ulimit -n 256 without a cap runs out of file descriptors, says so, and listens again once 400 attackers are gone",
  ignore: !havePeer("echoscu", "dcmtk"),
  async fn() {
    const serve = await startServeProcess(pki, [
      "--max-connections",
      "1000",
      "--max-connections-per-address",
      "1000",
      "--idle-timeout",
      "60000",
    ], { fileLimit: FILE_LIMIT });
    try {
      await attackThenLeave(serve, /out of file descriptors \(EMFILE\)/);
      await waitUntil(() => /listening again on port/.test(serve.log()), 10_000);
      assert.match(serve.log(), /file descriptors are free again: listening again on port \d+/);
      const after = await echoscu(serve.port);
      assert.equal(after.code, 0, after.output);
    } finally {
      await serve.stop();
    }
  },
});
