import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { datasetBytes, encodingOf, walkDataset } from "./_dataset.ts";

// Little-endian building blocks.
const u16 = (n: number) => [n & 0xff, n >> 8];
const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const tag = (g: number, e: number) => [...u16(g), ...u16(e)];
const ascii = (s: string) => [...new TextEncoder().encode(s)];
const explicit = (g: number, e: number, vr: string, value: number[]) =>
  ["OB", "SQ", "UN", "OW"].includes(vr)
    ? [...tag(g, e), ...ascii(vr), 0, 0, ...u32(value.length), ...value]
    : [...tag(g, e), ...ascii(vr), ...u16(value.length), ...value];
const implicit = (g: number, e: number, value: number[]) => [
  ...tag(g, e),
  ...u32(value.length),
  ...value,
];
const UNDEFINED = 0xffffffff;
const item = (body: number[]) => [...tag(0xfffe, 0xe000), ...u32(body.length), ...body];
const openItem = (body: number[]) => [
  ...tag(0xfffe, 0xe000),
  ...u32(UNDEFINED),
  ...body,
  ...tag(0xfffe, 0xe00d),
  ...u32(0),
];
const seqEnd = [...tag(0xfffe, 0xe0dd), ...u32(0)];
const uid = ascii("1.2.3.4\0");
const EXPLICIT_LE = encodingOf("1.2.840.10008.1.2.1");

Deno.test("walkDataset() reads nested sequences of defined and undefined length, and encapsulated pixel data", () => {
  const bytes = new Uint8Array([
    ...explicit(0x0008, 0x0018, "UI", uid),
    ...explicit(0x0040, 0x0275, "SQ", [...item(explicit(0x0010, 0x0010, "PN", ascii("A^B ")))]),
    ...tag(0x0040, 0xa730),
    ...ascii("SQ"),
    0,
    0,
    ...u32(UNDEFINED),
    ...openItem(explicit(0x0010, 0x0020, "LO", ascii("ID"))),
    ...seqEnd,
    ...tag(0x7fe0, 0x0010),
    ...ascii("OB"),
    0,
    0,
    ...u32(UNDEFINED),
    ...item([]),
    ...item([1, 2, 3, 4]),
    ...seqEnd,
  ]);
  const found = walkDataset(bytes, { encoding: EXPLICIT_LE, want: [0x00080018] });
  assert.equal(found.get(0x00080018), "1.2.3.4");
});

Deno.test("walkDataset() reads implicit VR, big endian and deflated data sets", () => {
  const implicitSet = new Uint8Array([
    ...implicit(0x0008, 0x0016, uid),
    ...tag(0x0040, 0x0275),
    ...u32(UNDEFINED),
    ...openItem(implicit(0x0010, 0x0010, ascii("A^B "))),
    ...seqEnd,
  ]);
  const found = walkDataset(implicitSet, {
    encoding: encodingOf("1.2.840.10008.1.2"),
    want: [0x00080016],
  });
  assert.equal(found.get(0x00080016), "1.2.3.4");
  const big = new Uint8Array([0x00, 0x08, 0x00, 0x18, ...ascii("UI"), 0x00, 0x08, ...uid]);
  const be = walkDataset(big, { encoding: encodingOf("1.2.840.10008.1.2.2"), want: [0x00080018] });
  assert.equal(be.get(0x00080018), "1.2.3.4");
  const deflated = "1.2.840.10008.1.2.1.99";
  const plain = new Uint8Array(explicit(0x0008, 0x0018, "UI", uid));
  const bytes = datasetBytes(new Uint8Array(deflateRawSync(plain)), deflated);
  assert.equal(
    walkDataset(bytes, { encoding: encodingOf(deflated), want: [0x00080018] }).get(0x00080018),
    "1.2.3.4",
  );
});

Deno.test("walkDataset() refuses what does not fit: a truncated value, an unending sequence, hostile nesting", () => {
  const truncated = new Uint8Array([...tag(0x0008, 0x0018), ...ascii("UI"), ...u16(200), 1, 2]);
  assert.throws(
    () => walkDataset(truncated, { encoding: EXPLICIT_LE }),
    /the value of \(0008,0018\) at byte 8 \(200 bytes\) runs past byte 10, where the data ends/,
  );
  // Bytes counted from where the data set starts in its file.
  assert.throws(
    () => walkDataset(truncated, { encoding: EXPLICIT_LE, origin: 300 }),
    /at byte 308 \(200 bytes\) runs past byte 310/,
  );
  const unending = new Uint8Array([
    ...tag(0x0040, 0x0275),
    ...ascii("SQ"),
    0,
    0,
    ...u32(UNDEFINED),
    ...item([]),
  ]);
  assert.throws(() => walkDataset(unending, { encoding: EXPLICIT_LE }), /never ends/);
  let nested: number[] = [];
  for (let i = 0; i < 100; i++) nested = explicit(0x0040, 0x0275, "SQ", item(nested));
  assert.throws(
    () => walkDataset(new Uint8Array(nested), { encoding: EXPLICIT_LE }),
    /nested deeper/,
  );
  const noVr = new Uint8Array([...tag(0x0008, 0x0018), 0x01, 0x02, ...u16(0)]);
  assert.throws(() => walkDataset(noVr, { encoding: EXPLICIT_LE }), /has no VR/);
  assert.throws(
    () => datasetBytes(new Uint8Array([1, 2, 3]), "1.2.840.10008.1.2.1.99"),
    /does not inflate/,
  );
});
