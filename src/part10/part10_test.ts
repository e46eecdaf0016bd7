import assert from "node:assert/strict";
import { dcmjs } from "../testing/dcmjs.ts";
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from "../ul/uids.ts";
import { part10Bytes, readPart10, writePart10File } from "./part10.ts";

const fixture = await Deno.readFile(
  new URL("../../fixtures/ae/secondary_capture.dcm", import.meta.url),
);

Deno.test("readPart10() splits a file into its meta and the dataset bytes", () => {
  const f = readPart10(fixture);
  assert.equal(f.sopClassUid, "1.2.840.10008.5.1.4.1.1.7");
  assert.equal(f.sopInstanceUid, "1.2.826.0.1.3680043.10.1463.2.1");
  assert.equal(f.transferSyntax, "1.2.840.10008.1.2.1");
  // The dataset starts with (0008,0016) SOP Class UID in explicit VR LE.
  assert.deepEqual([...f.dataset.subarray(0, 6)], [0x08, 0, 0x16, 0, 0x55, 0x49]);
});

Deno.test("writePart10File() writes a file that dcmjs reads back with the same dataset", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-part10-" });
  try {
    const f = readPart10(fixture);
    const path = await writePart10File(dir, { ...f, sourceAe: "MODALITY" });
    assert.equal(path, `${dir}/${f.sopInstanceUid}.dcm`);
    const written = await Deno.readFile(path);
    assert.deepEqual(readPart10(written).dataset, f.dataset);
    const read = dcmjs.data.DicomMessage.readFile(written.buffer);
    assert.equal(read.meta["00020016"].Value[0], "MODALITY");
    // One implementation identity: the one our associations announce.
    assert.equal(read.meta["00020012"].Value[0], IMPLEMENTATION_CLASS_UID);
    assert.equal(read.meta["00020013"].Value[0], IMPLEMENTATION_VERSION_NAME);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [`${f.sopInstanceUid}.dcm`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writePart10File() refuses a dataset that does not parse and leaves nothing behind", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-part10-" });
  try {
    const bad = {
      sopClassUid: "1.2.3",
      sopInstanceUid: "1.2.3.4",
      transferSyntax: "1.2.840.10008.1.2.1",
    };
    await assert.rejects(() =>
      writePart10File(dir, {
        ...bad,
        dataset: new Uint8Array([8, 0, 0x16, 0, 0x55, 0x49, 0xff, 0xff, 1]),
      })
    );
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// The fixture's meta group is 140 bytes: (0002,0002), (0002,0003), (0002,0010), (0002,0012).
const META_END = 144 + 140;

Deno.test("readPart10() refuses a data set that starts with group 0002: a meta group length too short, or the meta group twice", () => {
  const short = fixture.slice();
  new DataView(short.buffer).setUint32(140, 102, true);
  assert.throws(
    () => readPart10(short),
    /^Part10Error: the data set starts with File Meta element \(0002,0012\) at byte 246: group 0002 goes on past the 102 bytes/,
  );
  const twice = new Uint8Array(fixture.length + 152);
  twice.set(fixture.subarray(0, META_END));
  twice.set(fixture.subarray(132, META_END), META_END);
  twice.set(fixture.subarray(META_END), META_END + 152);
  assert.throws(() => readPart10(twice), /File Meta element \(0002,0000\) at byte 284/);
});

Deno.test("readPart10() refuses a meta group length that takes in the data set (one too short is above)", () => {
  const f = readPart10(fixture);
  const bytes = part10Bytes(f);
  const metaEnd = bytes.length - f.dataset.length;
  // Taking in the whole data set left an empty one to send, stored with Success.
  new DataView(bytes.buffer).setUint32(140, bytes.length - 144, true);
  assert.throws(
    () => readPart10(bytes),
    new RegExp(`element \\(0008,0016\\) at byte ${metaEnd} is not of group 0002, yet within`),
  );
});

Deno.test("readPart10() with checkUids refuses UIDs an association cannot carry, shown by their start", () => {
  const f = readPart10(fixture);
  const hostile = part10Bytes({ ...f, transferSyntax: "1.2.840.10008.1.2.1\x1b[2J" });
  // The reference AE reads the files it writes without the check.
  assert.equal(readPart10(hostile).transferSyntax, "1.2.840.10008.1.2.1\x1b[2J");
  assert.throws(
    () => readPart10(hostile, { checkUids: true }),
    // The CLI's one-line error escapes the ESC for the terminal.
    // deno-lint-ignore no-control-regex
    /the Transfer Syntax UID '1\.2\.840\.10008\.1\.2\.1\x1b\[2J' is not a UID/,
  );
  const long = part10Bytes({ ...f, sopInstanceUid: "1.".repeat(1000) });
  assert.throws(
    () => readPart10(long, { checkUids: true }),
    /the SOP Instance UID '(1\.){32}\.\.\. \(2000 characters\)' is not a UID/,
  );
  assert.equal(readPart10(fixture, { checkUids: true }).sopInstanceUid, f.sopInstanceUid);
});
