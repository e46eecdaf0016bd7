/**
 * The reference AE's conformance where a hostile or broken SCU tests it
 * (issue 14), each against the AE with a real storage folder: the SOP class
 * of a request against its presentation context, a message on a context
 * never accepted, SOP Instance UIDs that break PS3.5 9.1, a SOP Instance
 * stored twice, a full disk, and the temporary file a killed store leaves.
 */
import assert from "node:assert/strict";
import { testPki } from "../src/testing/pki.ts";
import {
  startServeProcess,
  startTestAe,
  type TestAe,
  waitForLogs,
} from "../src/testing/reference_ae.ts";
import {
  type Answer,
  echoRqPdu,
  rawAssociation,
  readAnswer,
  SECONDARY_CAPTURE,
  sendStore,
} from "../src/testing/raw_association.ts";
import type { AeSettings } from "../src/reference_ae/mod.ts";
import { waitUntil } from "../src/testing/wait.ts";

const pki = await testPki();

async function files(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

/** An AE with a fresh storage folder, and a raw association to it. */
async function withAe(
  settings: AeSettings,
  fn: (ae: TestAe, storage: string, store: StoreFn) => Promise<void>,
  storage?: string,
) {
  const dir = storage ?? await Deno.makeTempDir({ prefix: "dicomtls-conformance-" });
  const ae = await startTestAe(pki, { storage: dir, ...settings });
  const association = await rawAssociation({ pki, port: ae.port });
  const store: StoreFn = async (o) => {
    await sendStore(association, { contextId: 3, sopClassUid: SECONDARY_CAPTURE, ...o });
    return status(await readAnswer(association));
  };
  try {
    await fn(ae, dir, store);
  } finally {
    association.close();
    await ae.close();
    if (!storage) await Deno.remove(dir, { recursive: true });
  }
}

type StoreFn = (o: {
  sopInstanceUid: string;
  contextId?: number;
  sopClassUid?: string;
  pixelLength?: number;
}) => Promise<{ status?: number; comment?: string }>;

function status(answer: Answer): { status?: number; comment?: string } {
  assert.ok("command" in answer, `expected a response, got ${JSON.stringify(answer)}`);
  return { status: answer.command.Status, comment: answer.command.ErrorComment };
}

Deno.test("the reference AE refuses a C-STORE on the Verification context with 0x0122 and stores nothing", async () => {
  await withAe({}, async (_ae, storage, store) => {
    const onVerification = await store({
      contextId: 1,
      sopClassUid: SECONDARY_CAPTURE,
      sopInstanceUid: "1.2.3.4",
    });
    assert.equal(onVerification.status, 0x0122);
    assert.match(
      onVerification.comment ?? "",
      /context 1 is 1\.2\.840\.10008\.1\.1, not for this service/,
    );
    // The SOP class of the command differs from that of its (Storage) context.
    const mismatch = await store({
      sopClassUid: "1.2.840.10008.5.1.4.1.1.2",
      sopInstanceUid: "1.2.3.5",
    });
    assert.equal(mismatch.status, 0x0122);
    assert.deepEqual(await files(storage), []);
    // The association is fine: a proper store works.
    assert.equal((await store({ sopInstanceUid: "1.2.3.6" })).status, 0);
    assert.deepEqual(await files(storage), ["1.2.3.6.dcm"]);
  });
});

Deno.test("the reference AE answers a C-ECHO-RQ on a Storage context with 0x0122", async () => {
  await withAe({}, async (ae) => {
    const association = await rawAssociation({ pki, port: ae.port });
    try {
      await association.write(echoRqPdu(3, 1));
      assert.equal(status(await readAnswer(association)).status, 0x0122);
      await association.write(echoRqPdu(1, 2));
      assert.equal(status(await readAnswer(association)).status, 0);
    } finally {
      association.close();
    }
  });
});

Deno.test("the reference AE answers a message on a presentation context it never accepted with an A-ABORT", async () => {
  await withAe({}, async (ae) => {
    for (const contextId of [5, 99]) {
      const association = await rawAssociation({ pki, port: ae.port });
      await association.write(echoRqPdu(contextId, 1));
      assert.deepEqual(await readAnswer(association), { abort: true });
      association.close();
    }
    await waitForLogs(ae, 2);
    const aborted = ae.logs.filter((l) => l.callingAe === "HOSTILE");
    assert.equal(aborted.length, 2);
    for (const entry of aborted) {
      assert.equal(entry.result, "aborted");
      assert.match(String(entry.detail), /presentation context (5|99), never accepted/);
    }
  });
});

Deno.test("the reference AE refuses SOP Instance UIDs that break PS3.5 9.1 with 0x0117 and writes no file, hidden or not", async () => {
  await withAe({}, async (_ae, storage, store) => {
    for (
      const uid of [".", "..", "...", "1..2", "01.2", "1.2.", "1.2.a", "../1.2", "1".repeat(65)]
    ) {
      const answer = await store({ sopInstanceUid: uid });
      assert.equal(answer.status, 0x0117, uid);
      assert.match(answer.comment ?? "", /not a valid UID/);
    }
    assert.deepEqual(await files(storage), []);
  });
});

Deno.test("the reference AE keeps both files of a SOP Instance stored twice by default, and replaces or refuses when told", async () => {
  const uid = "1.2.826.0.1.3680043.2.1143.7";
  await withAe({}, async (_ae, storage, store) => {
    assert.equal((await store({ sopInstanceUid: uid, pixelLength: 10 })).status, 0);
    assert.equal((await store({ sopInstanceUid: uid, pixelLength: 20 })).status, 0);
    assert.equal((await store({ sopInstanceUid: uid, pixelLength: 30 })).status, 0);
    assert.deepEqual(await files(storage), [`${uid}-2.dcm`, `${uid}-3.dcm`, `${uid}.dcm`]);
  });
  await withAe({ duplicates: "replace" }, async (_ae, storage, store) => {
    await store({ sopInstanceUid: uid, pixelLength: 10 });
    const first = (await Deno.stat(`${storage}/${uid}.dcm`)).size;
    assert.equal((await store({ sopInstanceUid: uid, pixelLength: 20 })).status, 0);
    assert.deepEqual(await files(storage), [`${uid}.dcm`]);
    assert.equal((await Deno.stat(`${storage}/${uid}.dcm`)).size, first + 10);
  });
  await withAe({ duplicates: "refuse" }, async (_ae, storage, store) => {
    await store({ sopInstanceUid: uid, pixelLength: 10 });
    const first = await Deno.readFile(`${storage}/${uid}.dcm`);
    const again = await store({ sopInstanceUid: uid, pixelLength: 20 });
    assert.equal(again.status, 0x0111);
    assert.match(again.comment ?? "", /already stored/);
    assert.deepEqual(await files(storage), [`${uid}.dcm`]);
    assert.deepEqual(await Deno.readFile(`${storage}/${uid}.dcm`), first);
  });
});

// A 1 MiB tmpfs: mounting needs root (CAP_SYS_ADMIN); the test says so when it cannot.
async function tinyFileSystem(): Promise<string | undefined> {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-full-" });
  const mounted = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => ({ success: false }));
  if (mounted.success) return dir;
  await Deno.remove(dir);
  return undefined;
}

Deno.test("the reference AE answers a C-STORE the disk cannot take with 0xA700, removes the partial file and keeps earlier ones", async () => {
  const storage = await tinyFileSystem();
  if (!storage) {
    console.warn("skipped: cannot mount a 1 MiB tmpfs (needs root)");
    return;
  }
  try {
    await withAe({}, async (_ae, dir, store) => {
      assert.equal((await store({ sopInstanceUid: "1.2.3.1", pixelLength: 1000 })).status, 0);
      const full = await store({ sopInstanceUid: "1.2.3.2", pixelLength: 4 * 1024 * 1024 });
      assert.equal(full.status, 0xa700);
      assert.match(full.comment ?? "", /out of resources: No space left on device/);
      assert.deepEqual(await files(dir), ["1.2.3.1.dcm"]);
      assert.ok((await Deno.stat(`${dir}/1.2.3.1.dcm`)).size > 1000);
    }, storage);
  } finally {
    await new Deno.Command("umount", { args: [storage] }).output();
    await Deno.remove(storage, { recursive: true });
  }
});

Deno.test("dicomtls serve removes at start the temporary file a store killed with kill -9 left behind", async () => {
  const storage = await Deno.makeTempDir({ prefix: "dicomtls-killed-" });
  try {
    const serve = await startServeProcess(pki, ["--storage", storage]);
    const association = await rawAssociation({ pki, port: serve.port });
    await sendStore(association, {
      contextId: 3,
      sopClassUid: SECONDARY_CAPTURE,
      sopInstanceUid: "1.2.3.9",
      pixelLength: 4 * 1024 * 1024,
      stopAfter: 1024 * 1024,
    });
    await waitUntil(async () => (await files(storage)).length > 0, 5000);
    Deno.kill(serve.pid, "SIGKILL");
    await serve.exited;
    association.close();
    const [left] = await files(storage);
    assert.match(left, /^\.1\.2\.3\.9\.[0-9a-f-]{36}\.tmp$/);
    const again = await startServeProcess(pki, ["--storage", storage]);
    try {
      assert.deepEqual(await files(storage), []);
      assert.match(
        again.log(),
        new RegExp(`removed 1 temporary file\\(s\\) left in .* ${left.replaceAll(".", "\\.")}`),
      );
    } finally {
      await again.stop();
    }
  } finally {
    await Deno.remove(storage, { recursive: true });
  }
});
