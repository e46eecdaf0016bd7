/**
 * Memory and sizes under hostile load (issue 14), each against a real
 * process: `dicomtls serve` flooded with C-ECHO-RQs (60 s; 15 s without
 * DICOMTLS_SLOW_TESTS) by a client that never
 * reads; a 2 GB C-STORE (512 MB without DICOMTLS_SLOW_TESTS) streamed to a file while another client echoes; a
 * C-STORE over the maximum object size; and `dicomtls echo` against an SCP
 * whose C-ECHO-RSP carries a data set without end. Peak RSS is the
 * process's VmHWM.
 */
import assert from "node:assert/strict";
import { cEcho } from "../src/dimse/mod.ts";
import { spawnDicomtls } from "../src/testing/cli.ts";
import { pkiFile, testPki } from "../src/testing/pki.ts";
import { holdAssociation, startServeProcess } from "../src/testing/reference_ae.ts";
import { slowTests } from "../src/testing/slow.ts";
import { processUsage, startEndlessEchoScp } from "../src/testing/hostile_peers.ts";
import {
  floodEchoes,
  rawAssociation,
  readAnswer,
  SECONDARY_CAPTURE,
  sendStore,
} from "../src/testing/raw_association.ts";

const pki = await testPki();
const MB = 1024 * 1024;
// The quick variants ask the same (memory stays flat, echoes stay fast) on
// less: before backpressure the flood had reached 1 GB within 15 s, and a
// 512 MB store held in memory would pass the 200 MB bound 2.5 times over.
const FLOOD_SECONDS = slowTests() ? 60 : 15;
const STORE_MB = slowTests() ? 2048 : 512;

/** Samples a process's peak RSS (VmHWM) until stopped. */
function watchPeak(pid: number) {
  let peak = 0;
  const sample = async () => {
    peak = Math.max(peak, await processUsage(pid).then((u) => u.peakMb, () => 0));
  };
  const timer = setInterval(sample, 250);
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      return peak;
    },
  };
}

async function storageFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test(`dicomtls serve flooded for ${FLOOD_SECONDS} s with C-ECHO-RQs by a client that never reads stays under 200 MB`, async () => {
  const serve = await startServeProcess(pki, ["--timeout", "120000"]);
  const peak = watchPeak(serve.pid);
  try {
    const { sent, association } = await floodEchoes({
      pki,
      port: serve.port,
      durationMs: FLOOD_SECONDS * 1000,
    });
    const peakMb = await peak.stop();
    association.close();
    console.log(
      `${sent} C-ECHO-RQs taken in ${FLOOD_SECONDS} s; serve's peak RSS ${peakMb.toFixed(0)} MB`,
    );
    assert.ok(peakMb < 200, `peak RSS ${peakMb} MB`);
    // Once the client stopped reading, serve stopped reading too: the requests it took are bounded.
    assert.ok(sent < 1_000_000, `${sent} requests went through`);
  } finally {
    await serve.stop();
  }
});

Deno.test(`dicomtls serve stores a ${STORE_MB} MB C-STORE under 200 MB peak RSS while another client's C-ECHO takes under 1 s`, async () => {
  const storage = await Deno.makeTempDir({ prefix: "dicomtls-2gb-" });
  const serve = await startServeProcess(pki, ["--storage", storage, "--timeout", "600000"]);
  const peak = watchPeak(serve.pid);
  const other = await holdAssociation(pki, serve.port, "OTHER");
  try {
    const sender = await rawAssociation({ pki, port: serve.port, maxPduLength: 65_536 });
    let storing = true;
    const latencies: number[] = [];
    const echoes = (async () => {
      while (storing) {
        const began = performance.now();
        assert.equal((await cEcho(other.association, { timeoutMs: 5000 })).code, 0);
        latencies.push(performance.now() - began);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const pixelLength = STORE_MB * MB;
    await sendStore(sender, {
      contextId: 3,
      sopClassUid: SECONDARY_CAPTURE,
      sopInstanceUid: "1.2.826.0.1.3680043.2.1143.2",
      pixelLength,
      maxPdv: 65_530,
    });
    const answer = await readAnswer(sender, 120_000);
    storing = false;
    await echoes;
    const peakMb = await peak.stop();
    sender.close();
    const worst = Math.max(...latencies);
    console.log(
      `${STORE_MB} MB stored; serve's peak RSS ${
        peakMb.toFixed(0)
      } MB; ${latencies.length} echoes meanwhile, slowest ${worst.toFixed(0)} ms`,
    );
    assert.ok("command" in answer && answer.command.Status === 0, JSON.stringify(answer));
    assert.ok(peakMb < 200, `peak RSS ${peakMb} MB`);
    assert.ok(latencies.length > 5 && worst < 1000, `echo latencies ${latencies}`);
    const [file] = await storageFiles(storage);
    assert.equal(file, "1.2.826.0.1.3680043.2.1143.2.dcm");
    assert.ok((await Deno.stat(`${storage}/${file}`)).size > pixelLength);
  } finally {
    other.close();
    await serve.stop();
    await Deno.remove(storage, { recursive: true });
  }
});

Deno.test("dicomtls serve answers a C-STORE over --max-object-size with 0xA700 and keeps no file", async () => {
  const storage = await Deno.makeTempDir({ prefix: "dicomtls-max-object-" });
  const serve = await startServeProcess(pki, ["--storage", storage, "--max-object-size", "1M"]);
  try {
    const sender = await rawAssociation({ pki, port: serve.port });
    const store = (uid: string, pixelLength: number) =>
      sendStore(sender, {
        contextId: 3,
        sopClassUid: SECONDARY_CAPTURE,
        sopInstanceUid: uid,
        pixelLength,
      })
        .then(() => readAnswer(sender));
    const tooBig = await store("1.2.3.1", 4 * MB);
    assert.ok("command" in tooBig, JSON.stringify(tooBig));
    assert.equal(tooBig.command.Status, 0xa700);
    assert.match(tooBig.command.ErrorComment ?? "", /maximum object size/);
    assert.deepEqual(await storageFiles(storage), []);
    // The association goes on: a store within the limit succeeds.
    const small = await store("1.2.3.2", 1000);
    assert.ok("command" in small && small.command.Status === 0, JSON.stringify(small));
    assert.deepEqual(await storageFiles(storage), ["1.2.3.2.dcm"]);
    sender.close();
  } finally {
    await serve.stop();
    await Deno.remove(storage, { recursive: true });
  }
});

async function outputOf(child: Deno.ChildProcess): Promise<{ code: number; text: string }> {
  const { code, stdout, stderr } = await child.output();
  const d = new TextDecoder();
  return { code, text: d.decode(stdout) + d.decode(stderr) };
}

Deno.test("dicomtls echo against an SCP whose C-ECHO-RSP carries an endless data set ends within its deadline under 200 MB, naming the violation", async () => {
  const scp = await startEndlessEchoScp(pki);
  try {
    const began = performance.now();
    const child = spawnDicomtls([
      "echo",
      `127.0.0.1:${scp.port}`,
      "--called",
      "HOSTILE",
      "--ca",
      pkiFile(pki, "root", "crt"),
      "--timeout",
      "5000",
    ]);
    const peak = watchPeak(child.pid);
    const { code, text } = await outputOf(child);
    const peakMb = await peak.stop();
    const ms = performance.now() - began;
    console.log(`echo ended after ${ms.toFixed(0)} ms, peak RSS ${peakMb.toFixed(0)} MB`);
    assert.equal(code, 1, text);
    assert.match(
      text,
      /protocol violation by the peer: the data set of its response exceeds 65536 bytes/,
    );
    assert.ok(ms < 5000 + 2000, `ended after ${ms} ms`);
    assert.ok(peakMb < 200, `peak RSS ${peakMb} MB`);
  } finally {
    await scp.close();
  }
});
