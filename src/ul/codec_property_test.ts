import assert from "node:assert/strict";
import { fc } from "../testing/fast_check.ts";
import { decodePdu } from "./decode.ts";
import { encodePdu } from "./encode.ts";
import { PduFramer } from "./framer.ts";
import { PduError, PduLengthExceeded } from "./pdu_error.ts";

const samples = ["echo", "store_fragmented", "refused", "get_role_selection"].flatMap((name) =>
  (JSON.parse(
    Deno.readTextFileSync(new URL(`../../fixtures/pdu/${name}.json`, import.meta.url)),
  ) as {
    pdus: { hex: string }[];
  }).pdus.slice(0, 2).map((p) => Uint8Array.from(p.hex.match(/../g)!, (h) => parseInt(h, 16)))
);

/** Decoding either gives a PDU that re-encodes, or a PduError: nothing else escapes. */
function decodesOrPduError(input: Uint8Array): void {
  const result = decodePdu(input);
  if (result instanceof PduError) {
    assert.ok(result.offset >= 0 && result.offset <= input.length);
    return;
  }
  encodePdu(result);
}

/** A random PDU header (a known type byte, mostly) and its body. */
const headed = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.uint8Array({ maxLength: 300 })).map(
  ([type, body]) => {
    const out = new Uint8Array(6 + body.length);
    out[0] = type;
    new DataView(out.buffer).setUint32(2, body.length);
    out.set(body, 6);
    return out;
  },
);

Deno.test("decodePdu() returns a PDU or a PduError for random bytes, never throwing", () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.uint8Array({ maxLength: 400 }), headed),
      (input) => decodesOrPduError(input),
    ),
    {
      numRuns: 3000,
    },
  );
});

Deno.test("decodePdu() returns a PDU or a PduError for mutated DCMTK PDUs, never throwing", () => {
  const mutated = fc.tuple(
    fc.constantFrom(...samples),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
    fc.option(fc.nat(), { nil: undefined }),
  ).map(([sample, edits, cut]) => {
    const out = sample.slice(0, cut === undefined ? sample.length : 1 + (cut % sample.length));
    for (const [at, value] of edits) out[at % out.length] = value;
    // Keep the header's length honest half of the time, so the mutation reaches the items.
    if (edits[0][1] % 2 === 0 && out.length >= 6) {
      new DataView(out.buffer).setUint32(2, out.length - 6);
    }
    return out;
  });
  fc.assert(fc.property(mutated, (input) => decodesOrPduError(input)), { numRuns: 3000 });
});

Deno.test("PduFramer never buffers more than its maximum, however the stream is cut", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2000 }),
      fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 20 }),
      (maxLength, chunks) => {
        const framer = new PduFramer({ maxLength });
        for (const chunk of chunks) {
          try {
            for (const pdu of framer.push(chunk)) assert.ok(pdu.length <= maxLength + 6);
          } catch (e) {
            if (e instanceof PduLengthExceeded) assert.ok(e.declaredLength > maxLength);
            else assert.equal((e as PduError).reason, "unrecognized-pdu");
            return;
          }
          assert.ok(framer.bufferedBytes <= maxLength + 6);
        }
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("PduFramer reassembles PDUs split at every byte boundary", () => {
  const stream = new Uint8Array(samples.reduce((n, s) => n + s.length, 0));
  samples.reduce((at, s) => (stream.set(s, at), at + s.length), 0);
  fc.assert(
    fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 30 }), (cuts) => {
      const framer = new PduFramer({ maxLength: 1 << 20 });
      const points = [0, ...cuts.sort((a, b) => a - b), stream.length];
      const out = points.slice(1).flatMap((end, i) => framer.push(stream.subarray(points[i], end)));
      assert.deepEqual(out, samples);
      assert.equal(framer.bufferedBytes, 0);
    }),
    { numRuns: 300 },
  );
});

Deno.test("PduFramer refuses a declared 4 GiB PDU from its header alone", () => {
  const framer = new PduFramer({ maxLength: 16384 });
  assert.throws(
    () => framer.push(Uint8Array.of(4, 0, 0xff, 0xff, 0xff, 0xff)),
    (e) =>
      e instanceof PduLengthExceeded && e.declaredLength === 0xffffffff &&
      e.reason === "invalid-pdu-parameter-value",
  );
  assert.equal(framer.bufferedBytes, 6);
  assert.throws(() => framer.push(Uint8Array.of(0)), PduLengthExceeded);
});

Deno.test("PduFramer refuses a first byte that is no PDU type before holding any of it, after the PDUs before it", () => {
  const release = Uint8Array.of(5, 0, 0, 0, 0, 4, 0, 0, 0, 0);
  const framer = new PduFramer({ maxLength: 16384 });
  // The A-RELEASE-RQ ahead of the garbage is the peer's too: returned, the fault kept.
  const out = framer.push(Uint8Array.of(...release, 0x00, 0, 0, 0, 0, 0));
  assert.deepEqual(out, [release]);
  assert.equal(framer.failure?.reason, "unrecognized-pdu");
  assert.equal(framer.failure?.message, "Cannot decode PDU: type 0x00 is not a PS3.8 PDU type");
  assert.equal(framer.pduType, 0);
  assert.equal(framer.bufferedBytes, 0);
  assert.throws(() => framer.push(release), (e) => e === framer.failure);
  // Alone, the first byte is enough to refuse it.
  const alone = new PduFramer({ maxLength: 16384 });
  assert.throws(
    () => alone.push(Uint8Array.of(0x08)),
    (e) => e instanceof PduError && e.reason === "unrecognized-pdu" && e.offset === 0,
  );
});
