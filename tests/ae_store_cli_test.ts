/**
 * `dicomtls store` against DCMTK storescp and against our reference AE:
 * the file arrives and dcmjs reads back the same data set; a file that is
 * not DICOM is refused before any connection, exit 2.
 */
import assert from "node:assert/strict";
import { dcmjs } from "../src/testing/dcmjs.ts";
import { readPart10 } from "../src/part10/mod.ts";
import { storeCommand } from "../src/cli/store.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { startTestAe, waitForLogs } from "../src/testing/reference_ae.ts";
import { havePeer, startStorescp } from "../src/testing/peers.ts";
import { clientTlsArgs, pkiFile, testPki } from "../src/testing/pki.ts";

const FIXTURE = new URL("../fixtures/ae/secondary_capture.dcm", import.meta.url).pathname;

// The data set only: each SCP writes its own meta group.
function dataset(bytes: Uint8Array): unknown {
  return dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict;
}

// The command prints its report; the tests look at exit codes and files, and at what it printed.
async function quietly<T>(fn: () => Promise<T>, printed: string[] = []): Promise<T> {
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args.join(" "));
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

Deno.test({
  name: "dicomtls store stores a file in storescp that dcmjs reads back with the same data set",
  ignore: !havePeer("storescp", "dcmtk"),
  async fn() {
    const pki = await testPki();
    const scp = await startStorescp({
      cert: pkiFile(pki, "server", "chain"),
      key: pkiFile(pki, "server", "key"),
      trust: [pkiFile(pki, "root", "crt")],
    });
    try {
      const code = await quietly(() =>
        storeCommand.run([
          `127.0.0.1:${scp.port}`,
          FIXTURE,
          "--called",
          "STORESCP",
          ...clientTlsArgs(pki),
        ])
      );
      assert.equal(code, 0, scp.log());
      const received = [...Deno.readDirSync(scp.outDir)].map((e) => e.name);
      assert.equal(received.length, 1, `storescp wrote ${received.join(", ")}`);
      const bytes = await Deno.readFile(`${scp.outDir}/${received[0]}`);
      assert.deepEqual(dataset(bytes), dataset(await Deno.readFile(FIXTURE)));
    } finally {
      await scp.stop();
    }
  },
});

Deno.test("dicomtls store sends a folder's files, recursively, to the reference AE in one association", async () => {
  const pki = await testPki();
  const storage = await Deno.makeTempDir({ prefix: "dicomtls-ae-storage-" });
  const input = await Deno.makeTempDir({ prefix: "dicomtls-store-input-" });
  const ae = await startTestAe(pki, { storage });
  try {
    await Deno.mkdir(`${input}/series`);
    await Deno.copyFile(FIXTURE, `${input}/series/image.dcm`);
    await Deno.writeTextFile(`${input}/.partial.tmp`, "a writer's temporary file: skipped");
    const printed: string[] = [];
    const code = await quietly(
      () =>
        storeCommand.run([
          `127.0.0.1:${ae.port}`,
          input,
          "--called",
          "REFAE",
          ...clientTlsArgs(pki),
        ]),
      printed,
    );
    assert.equal(code, 0);
    await waitForLogs(ae, 1);
    assert.equal(ae.logs.length, 1);
    assert.deepEqual(ae.logs[0].dimse.map((d) => [d.command, d.status]), [["C-STORE", "0x0000"]]);
    const sent = readPart10(await Deno.readFile(FIXTURE));
    // The result line names the file it sent, then the instance.
    const line =
      `C-STORE      ${input}/series/image.dcm (${sent.sopInstanceUid}): Success (0x0000)`;
    assert.ok(printed.join("\n").includes(line), printed.join("\n"));
    const bytes = await Deno.readFile(`${storage}/${sent.sopInstanceUid}.dcm`);
    assert.deepEqual(dataset(bytes), dataset(await Deno.readFile(FIXTURE)));
  } finally {
    await ae.close();
    await Deno.remove(storage, { recursive: true });
    await Deno.remove(input, { recursive: true });
  }
});

Deno.test("dicomtls store exits 1 when the reference AE does not store (no storage folder)", async () => {
  const pki = await testPki();
  const ae = await startTestAe(pki);
  try {
    const code = await quietly(() =>
      storeCommand.run([
        `127.0.0.1:${ae.port}`,
        FIXTURE,
        "--called",
        "REFAE",
        ...clientTlsArgs(pki),
      ])
    );
    assert.equal(code, 1);
  } finally {
    await ae.close();
  }
});

Deno.test("dicomtls store refuses a file that is not DICOM with its name and exit 2, sending nothing", async () => {
  const pki = await testPki();
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-store-bad-" });
  try {
    await Deno.writeTextFile(`${dir}/notes.txt`, "not a DICOM file\n");
    // Port 9 (discard) is never contacted: the files are read before connecting.
    const bad = await runDicomtls([
      "store",
      "127.0.0.1:9",
      FIXTURE,
      `${dir}/notes.txt`,
      "--called",
      "REFAE",
      ...clientTlsArgs(pki),
    ]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      new RegExp(`^dicomtls store: ${dir}/notes\\.txt: not a DICOM Part 10 file: `),
    );
    // Said once: the reason follows, not the same words again.
    assert.doesNotMatch(bad.stderr, /Part 10 file: not a DICOM Part 10 file/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
    const missing = await runDicomtls([
      "store",
      "127.0.0.1:9",
      `${dir}/none.dcm`,
      "--called",
      "X",
      "--verify",
      "none",
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, new RegExp(`^dicomtls store: ${dir}/none\\.dcm: cannot read: `));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
