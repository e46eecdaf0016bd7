import assert from "node:assert/strict";
import type { AAssociateRq } from "../ul/pdu.ts";
import { decideAssociation } from "./policy.ts";
import {
  DICOM_APPLICATION_CONTEXT,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  VERIFICATION_SOP_CLASS,
} from "../ul/uids.ts";

const CT = "1.2.840.10008.5.1.4.1.1.2";
const CR = "1.2.840.10008.5.1.4.1.1.1";
const JPEG = "1.2.840.10008.1.2.4.50";

function rq(overrides: Partial<AAssociateRq> = {}): AAssociateRq {
  return {
    type: "A-ASSOCIATE-RQ",
    protocolVersion: 1,
    calledAe: "REFAE           ",
    callingAe: "MODALITY",
    applicationContext: DICOM_APPLICATION_CONTEXT,
    userInformation: { maxPduLength: 16384 },
    presentationContexts: [
      {
        id: 1,
        abstractSyntax: VERIFICATION_SOP_CLASS,
        transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
      },
      {
        id: 3,
        abstractSyntax: CT,
        transferSyntaxes: [
          IMPLICIT_VR_LITTLE_ENDIAN,
          EXPLICIT_VR_LITTLE_ENDIAN,
        ],
      },
      { id: 5, abstractSyntax: CR, transferSyntaxes: [JPEG] },
      {
        id: 7,
        abstractSyntax: "1.2.3.4",
        transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN],
      },
      { id: 9, abstractSyntax: CT, transferSyntaxes: ["1.2.3.999"] },
    ],
    ...overrides,
  };
}

const policy = { ae: "REFAE", acceptCalling: ["MODALITY", "OTHER"], storage: true };

Deno.test("decideAssociation() negotiates each presentation context by the AE's preference", () => {
  const d = decideAssociation(rq(), policy);
  assert.ok(d.accept);
  assert.deepEqual(d.presentationContexts, [
    { id: 1, result: "acceptance", transferSyntax: IMPLICIT_VR_LITTLE_ENDIAN },
    { id: 3, result: "acceptance", transferSyntax: EXPLICIT_VR_LITTLE_ENDIAN },
    { id: 5, result: "acceptance", transferSyntax: JPEG },
    { id: 7, result: "abstract-syntax-not-supported" },
    { id: 9, result: "transfer-syntaxes-not-supported" },
  ]);
});

Deno.test("decideAssociation() refuses Storage SOP classes when the AE has no storage folder", () => {
  const d = decideAssociation(rq(), { ...policy, storage: false });
  assert.ok(d.accept);
  assert.equal(d.presentationContexts[1].result, "abstract-syntax-not-supported");
  assert.equal(d.presentationContexts[0].result, "acceptance");
});

Deno.test("decideAssociation() rejects an unknown called AE title with called-ae-title-not-recognized", () => {
  assert.deepEqual(decideAssociation(rq({ calledAe: "NOTME" }), policy), {
    accept: false,
    reject: {
      result: "rejected-permanent",
      source: "service-user",
      reason: "called-ae-title-not-recognized",
    },
  });
});

Deno.test("decideAssociation() rejects an unlisted calling AE title with calling-ae-title-not-recognized", () => {
  const d = decideAssociation(rq({ callingAe: "STRANGER" }), policy);
  assert.ok(!d.accept);
  assert.equal(d.reject.reason, "calling-ae-title-not-recognized");
  assert.ok(
    decideAssociation(rq({ callingAe: "STRANGER" }), { ...policy, acceptCalling: [] }).accept,
  );
});

Deno.test("decideAssociation() rejects a foreign application context", () => {
  const d = decideAssociation(rq({ applicationContext: "1.2.3" }), policy);
  assert.ok(!d.accept);
  assert.equal(d.reject.reason, "application-context-name-not-supported");
});
