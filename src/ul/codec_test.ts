import assert from "node:assert/strict";
import { decodePdu } from "./decode.ts";
import { encodePdu } from "./encode.ts";
import type { AAssociateAc, AAssociateRq, Pdu } from "./pdu.ts";
import { PduError } from "./pdu_error.ts";
import { MAX_TRACED_PDVS, pduFields } from "./trace.ts";

interface Fixture {
  client: string;
  pdus: { from: "requestor" | "acceptor"; type: string; hex: string }[];
}

const FIXTURES = ["echo", "store_fragmented", "refused", "abort_after_store", "get_role_selection"];

function load(name: string): Fixture {
  return JSON.parse(
    Deno.readTextFileSync(new URL(`../../fixtures/pdu/${name}.json`, import.meta.url)),
  );
}

function bytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function decoded<T extends Pdu>(name: string, index: number): T {
  const pdu = decodePdu(bytes(load(name).pdus[index].hex));
  if (pdu instanceof PduError) throw pdu;
  return pdu as T;
}

Deno.test("decodePdu() and encodePdu() round-trip every PDU captured from DCMTK byte for byte", () => {
  let count = 0;
  for (const name of FIXTURES) {
    for (const [i, p] of load(name).pdus.entries()) {
      const pdu = decodePdu(bytes(p.hex));
      assert.ok(!(pdu instanceof PduError), `${name} #${i}: ${(pdu as PduError).message}`);
      assert.equal(pdu.type, p.type, `${name} #${i}`);
      assert.equal(hex(encodePdu(pdu)), p.hex, `${name} #${i} (${p.type}) re-encodes differently`);
      count++;
    }
  }
  assert.ok(count >= 20, `only ${count} PDUs in the fixtures`);
});

Deno.test("decodePdu() reads echoscu's A-ASSOCIATE-RQ and storescp's A-ASSOCIATE-AC", () => {
  const rq = decoded<AAssociateRq>("echo", 0);
  assert.equal(rq.calledAe, "STORESCP");
  assert.equal(rq.callingAe, "ECHOSCU");
  assert.equal(rq.applicationContext, "1.2.840.10008.3.1.1.1");
  assert.deepEqual(
    rq.presentationContexts.map(({ id, abstractSyntax, transferSyntaxes }) => ({
      id,
      abstractSyntax,
      transferSyntaxes,
    })),
    [
      { id: 1, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"] },
    ],
  );
  assert.deepEqual(rq.userInformation, {
    maxPduLength: 16384,
    implementationClassUid: "1.2.276.0.7230010.3.0.3.6.7",
    implementationVersionName: "OFFIS_DCMTK_367",
  });
  const ac = decoded<AAssociateAc>("echo", 1);
  assert.deepEqual(ac.presentationContexts, [{
    id: 1,
    result: "acceptance",
    transferSyntax: "1.2.840.10008.1.2",
  }]);
});

Deno.test("decodePdu() reads user identity, role selection, rejections, aborts and fragments from DCMTK", () => {
  const store = decoded<AAssociateRq>("store_fragmented", 0);
  const id = store.userInformation.userIdentity!;
  assert.equal(id.identityType, 2);
  assert.equal(new TextDecoder().decode(id.primaryField), "alice");
  assert.equal(new TextDecoder().decode(id.secondaryField), "secret");
  const pdvs = load("store_fragmented").pdus.flatMap((p) => {
    const pdu = decodePdu(bytes(p.hex));
    return !(pdu instanceof PduError) && pdu.type === "P-DATA-TF" && p.from === "requestor"
      ? pdu.pdvs
      : [];
  });
  assert.deepEqual(pdvs.map((p) => [p.isCommand, p.isLast, p.data.length]), [
    [true, true, 128],
    [false, false, 4084],
    [false, true, 2620],
  ]);

  const get = decoded<AAssociateRq>("get_role_selection", 0);
  assert.ok(get.userInformation.roleSelections!.length > 10);
  assert.deepEqual(get.userInformation.roleSelections![0], {
    sopClassUid: "1.2.840.10008.5.1.4.1.1.9.1.3",
    scuRole: 0,
    scpRole: 1,
  });
  const getAc = decoded<AAssociateAc>("get_role_selection", 1);
  assert.equal(getAc.presentationContexts[0].result, "abstract-syntax-not-supported");

  assert.deepEqual(decoded("refused", 1), {
    type: "A-ASSOCIATE-RJ",
    result: "rejected-permanent",
    source: "service-user",
    reason: "no-reason-given",
  });
  assert.deepEqual(decoded("abort_after_store", 4), {
    type: "A-ABORT",
    source: "service-user",
    reason: "reason-not-specified",
  });
});

Deno.test("encodePdu() and decodePdu() round-trip every sub-item, reserved codes and unknown items", () => {
  const rq: AAssociateRq = {
    type: "A-ASSOCIATE-RQ",
    protocolVersion: 1,
    calledAe: "CALLED",
    callingAe: " LEADING",
    applicationContext: "1.2.840.10008.3.1.1.1",
    presentationContexts: [{
      id: 1,
      abstractSyntax: "1.2.840.10008.1.1",
      transferSyntaxes: ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"],
    }],
    userInformation: {
      maxPduLength: 0,
      implementationClassUid: "1.2.3",
      implementationVersionName: "X",
      asynchronousOperationsWindow: { maxOperationsInvoked: 5, maxOperationsPerformed: 0 },
      roleSelections: [{ sopClassUid: "1.2.840.10008.5.1.4.1.1.7", scuRole: 1, scpRole: 1 }],
      userIdentity: {
        identityType: 5,
        positiveResponseRequested: true,
        primaryField: new TextEncoder().encode("jwt"),
        secondaryField: new Uint8Array(),
      },
      unknown: [{ itemType: 0x56, data: Uint8Array.of(0, 1, 0x31, 9) }],
    },
    unknownItems: [{ itemType: 0x60, data: Uint8Array.of(1, 2, 3) }],
  };
  const ac: AAssociateAc = {
    ...rq,
    type: "A-ASSOCIATE-AC",
    presentationContexts: [
      { id: 1, result: "acceptance", transferSyntax: "1.2.840.10008.1.2" },
      { id: 3, result: "transfer-syntaxes-not-supported" },
      { id: 5, result: "reserved-9", transferSyntax: "" },
    ],
    userInformation: { maxPduLength: 32768, userIdentityResponse: Uint8Array.of(7, 7) },
  };
  const pdus: Pdu[] = [
    rq,
    ac,
    {
      type: "A-ASSOCIATE-RJ",
      result: "rejected-transient",
      source: "service-provider-presentation",
      reason: "local-limit-exceeded",
    },
    {
      type: "A-ASSOCIATE-RJ",
      result: "reserved-3",
      source: "service-provider-acse",
      reason: "protocol-version-not-supported",
    },
    { type: "A-ABORT", source: "service-provider", reason: "invalid-pdu-parameter-value" },
    { type: "A-ABORT", source: "reserved", reason: "reserved-3" },
    {
      type: "P-DATA-TF",
      pdvs: [{ contextId: 1, isCommand: true, isLast: false, data: Uint8Array.of(1) }, {
        contextId: 1,
        isCommand: false,
        isLast: true,
        data: new Uint8Array(),
      }],
    },
    { type: "A-RELEASE-RQ" },
    { type: "A-RELEASE-RP" },
  ];
  for (const pdu of pdus) {
    const once = encodePdu(pdu);
    const back = decodePdu(once);
    assert.ok(!(back instanceof PduError), `${pdu.type}: ${(back as PduError).message}`);
    assert.deepEqual(back, pdu);
    assert.deepEqual(encodePdu(back), once);
  }
});

Deno.test("decodePdu() names the PS3.8 reason and offset of bad bytes", () => {
  const cases: [number[], PduError["reason"], number][] = [
    [[9, 0, 0, 0, 0, 0], "unrecognized-pdu", 0],
    [[7, 0, 0, 0, 0, 4, 0, 0], "invalid-pdu-parameter-value", 2],
    [[5, 0, 0, 0, 0, 2, 0, 0], "invalid-pdu-parameter-value", 2],
    [[4, 0, 0, 0, 0, 0], "invalid-pdu-parameter-value", 6],
    [[4, 0, 0, 0, 0, 6, 0, 0, 0, 9, 1, 3], "invalid-pdu-parameter-value", 6],
    [[1, 0], "invalid-pdu-parameter-value", 2],
  ];
  for (const [input, reason, offset] of cases) {
    const e = decodePdu(Uint8Array.from(input));
    assert.ok(e instanceof PduError, `${input} decoded`);
    assert.equal(e.name, "PduError");
    assert.equal(e.reason, reason, `${input}: ${e.message}`);
    assert.equal(e.offset, offset, `${input}: ${e.message}`);
  }
});

Deno.test("decodePdu() refuses an A-ASSOCIATE-AC whose presentation context item overruns the PDU", () => {
  const ac = bytes(load("echo").pdus[1].hex);
  const at = ac.indexOf(0x21, 74); // the presentation context item after the fixed fields
  const broken = ac.slice();
  broken[at + 3] = 0xff; // its length now runs past the end
  const e = decodePdu(broken);
  assert.ok(e instanceof PduError);
  assert.match(e.message, /item 0x21 at offset \d+ declares length/);
});

Deno.test("pduFields() lists the first MAX_TRACED_PDVS PDVs of a P-DATA-TF and counts the rest", () => {
  const pdv = { contextId: 1, isCommand: false, isLast: false, data: new Uint8Array(1) };
  const fields = pduFields({ type: "P-DATA-TF", pdvs: Array(2700).fill(pdv) });
  assert.equal((fields.pdvs as unknown[]).length, MAX_TRACED_PDVS);
  assert.equal(fields.pdvsNotListed, 2700 - MAX_TRACED_PDVS);
  assert.deepEqual(pduFields({ type: "P-DATA-TF", pdvs: [pdv] }), {
    pdvs: [{ contextId: 1, kind: "dataset", last: false, length: 1 }],
  });
});

Deno.test("decodePdu() refuses an A-ASSOCIATE-RQ without a presentation context, or with an even or repeated ID", () => {
  const context = (id: number) => ({
    id,
    abstractSyntax: "1.2.840.10008.1.1",
    transferSyntaxes: ["1.2.840.10008.1.2"],
  });
  const rq = (ids: number[]): AAssociateRq => ({
    type: "A-ASSOCIATE-RQ",
    protocolVersion: 1,
    calledAe: "CALLED",
    callingAe: "CALLING",
    applicationContext: "1.2.840.10008.3.1.1.1",
    presentationContexts: ids.map(context),
    userInformation: { maxPduLength: 16384, implementationClassUid: "1.2.3" },
  });
  const cases: [number[], RegExp][] = [
    [[], /has no presentation context item/],
    [[2], /presentation context ID 2 is even/],
    [[1, 3, 1], /presentation context ID 1 repeats/],
  ];
  for (const [ids, message] of cases) {
    const result = decodePdu(encodePdu(rq(ids)));
    assert.ok(result instanceof PduError, `ids ${ids}`);
    assert.equal(result.reason, "invalid-pdu-parameter-value");
    assert.match(result.message, message);
  }
  assert.ok(!(decodePdu(encodePdu(rq([1, 3, 255]))) instanceof PduError));
});

Deno.test("encodePdu() refuses an AE title longer than 16 characters instead of cutting it", () => {
  const rq: AAssociateRq = {
    type: "A-ASSOCIATE-RQ",
    protocolVersion: 1,
    calledAe: "STORESCP-SEVENTEEN",
    callingAe: "DICOMTLS",
    applicationContext: "1.2.840.10008.3.1.1.1",
    presentationContexts: [{
      id: 1,
      abstractSyntax: "1.2.840.10008.1.1",
      transferSyntaxes: ["1.2.840.10008.1.2"],
    }],
    userInformation: { maxPduLength: 16384 },
  };
  assert.throws(() => encodePdu(rq), /AE title 'STORESCP-SEVENTEEN': 18 characters exceed 16/);
  const sixteen = decodePdu(encodePdu({ ...rq, calledAe: "SIXTEEN-CHARS-AE" }));
  assert.equal((sixteen as AAssociateRq).calledAe, "SIXTEEN-CHARS-AE");
});
