import assert from "node:assert/strict";
import {
  CREDIT_BATCH,
  CreditReturn,
  decodeControl,
  encodeControl,
  encodeData,
  encodeFrame,
  FRAME,
  FrameDecoder,
  FrameError,
  MAX_CONTROL_PAYLOAD,
  MAX_DATA_PAYLOAD,
  SendWindow,
  WINDOW,
} from "./_frames.mjs";

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

Deno.test("FrameDecoder returns the frames encoded, however the bytes are cut", () => {
  const bytes = concat([
    encodeControl({ type: "open", role: "client" }),
    encodeFrame(FRAME.CIPHERTEXT, new Uint8Array([22, 3, 1])),
    encodeFrame(FRAME.PLAINTEXT, new Uint8Array(0)),
  ]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const decoder = new FrameDecoder();
    const frames = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
    assert.deepEqual(frames.map((f) => f.type), [1, 2, 3], `cut at ${cut}`);
    assert.deepEqual(decodeControl(frames[0].payload), { type: "open", role: "client" });
    assert.deepEqual([...frames[1].payload], [22, 3, 1]);
    assert.equal(decoder.bufferedBytes, 0);
  }
});

Deno.test("FrameDecoder refuses an oversized frame from its header, before buffering, and stays failed", () => {
  const decoder = new FrameDecoder();
  const header = new Uint8Array([FRAME.PLAINTEXT, 0, 1, 0, 1]); // 65537 bytes declared
  assert.throws(() => decoder.push(header), FrameError);
  assert.equal(decoder.bufferedBytes, 0); // nothing of it kept
  assert.throws(() => decoder.push(new Uint8Array([1])), FrameError);
  const big = new FrameDecoder();
  const control = new Uint8Array(5);
  control[0] = FRAME.CONTROL;
  new DataView(control.buffer).setUint32(1, MAX_CONTROL_PAYLOAD + 1);
  assert.throws(() => big.push(control), /more than/);
});

Deno.test("FrameDecoder refuses an unknown frame type", () => {
  assert.throws(() => new FrameDecoder().push(new Uint8Array([9, 0, 0, 0, 0])), /unknown type 9/);
});

Deno.test("encodeData() splits data into frames of at most MAX_DATA_PAYLOAD", () => {
  const data = new Uint8Array(MAX_DATA_PAYLOAD * 2 + 10).map((_, i) => i & 0xff);
  const frames = encodeData(FRAME.CIPHERTEXT, data);
  assert.deepEqual(frames.map((f) => f.length - 5), [MAX_DATA_PAYLOAD, MAX_DATA_PAYLOAD, 10]);
  const decoded = new FrameDecoder().push(concat(frames));
  assert.deepEqual(concat(decoded.map((f) => f.payload)), data);
  assert.throws(() => encodeFrame(FRAME.PLAINTEXT, data), FrameError);
});

Deno.test("decodeControl() refuses what is not a JSON object with a type", () => {
  for (const text of ["[1]", "null", '{"a":1}', "{"]) {
    assert.throws(() => decodeControl(new TextEncoder().encode(text)), FrameError, text);
  }
  assert.throws(() => decodeControl(new Uint8Array([0xff, 0xfe])), FrameError);
});

Deno.test("SendWindow closes after WINDOW bytes and reopens, once, when credit comes back", () => {
  let opened = 0;
  const window = new SendWindow(() => opened++);
  assert.equal(window.take(WINDOW - 1), true);
  assert.equal(window.take(1), false);
  assert.equal(window.open, false);
  window.give(1);
  window.give(100);
  assert.equal(opened, 1);
  assert.equal(window.open, true);
});

Deno.test("CreditReturn returns credit in batches and holds it while the next stage is full", () => {
  const credits: number[] = [];
  const credit = new CreditReturn((n) => credits.push(n));
  credit.delivered(CREDIT_BATCH - 1, true);
  assert.deepEqual(credits, []);
  credit.delivered(1, true);
  assert.deepEqual(credits, [CREDIT_BATCH]);
  credit.delivered(CREDIT_BATCH, false); // taken, but the stage is now full
  credit.delivered(10, true); // still behind the full stage
  assert.equal(credit.blocked, true);
  assert.deepEqual(credits, [CREDIT_BATCH]);
  credit.drained();
  assert.deepEqual(credits, [CREDIT_BATCH, CREDIT_BATCH + 10]);
  assert.equal(credit.blocked, false);
});
