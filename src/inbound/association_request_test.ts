import assert from "node:assert/strict";
import type { AAssociateRq } from "../ul/mod.ts";
import { describeAssociationRequest, describeUserIdentity } from "./association_request.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const rq: AAssociateRq = {
  type: "A-ASSOCIATE-RQ",
  protocolVersion: 1,
  callingAe: "MODALITY  ",
  calledAe: "HARNESS",
  applicationContext: "1.2.840.10008.3.1.1.1",
  presentationContexts: [
    { id: 1, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"] },
    {
      id: 3,
      abstractSyntax: "1.2.3",
      transferSyntaxes: ["1.2.840.10008.1.2.1"],
      reserved: [0, 255, 0],
    },
  ],
  userInformation: {
    maxPduLength: 16384,
    implementationClassUid: "1.2.276.0.7230010.3.0.3.6.7",
    implementationVersionName: "OFFIS_DCMTK_367",
    userIdentity: {
      identityType: 2,
      positiveResponseRequested: true,
      primaryField: bytes("tech"),
      secondaryField: bytes("s3cret"),
    },
  },
};

Deno.test("describeAssociationRequest() gives AE titles, contexts with our answers and the SUT's implementation", () => {
  const info = describeAssociationRequest(rq, [
    { id: 1, result: "acceptance", transferSyntax: "1.2.840.10008.1.2" },
    { id: 3, result: "abstract-syntax-not-supported", transferSyntax: "1.2.840.10008.1.2.1" },
  ]);
  assert.equal(info.callingAe, "MODALITY");
  assert.deepEqual(info.presentationContexts, [
    {
      id: 1,
      abstractSyntax: "1.2.840.10008.1.1",
      transferSyntaxes: ["1.2.840.10008.1.2"],
      result: "acceptance",
      transferSyntax: "1.2.840.10008.1.2",
    },
    {
      id: 3,
      abstractSyntax: "1.2.3",
      transferSyntaxes: ["1.2.840.10008.1.2.1"],
      result: "abstract-syntax-not-supported",
    },
  ]);
  assert.equal(info.maxPduLength, 16384);
  assert.equal(info.implementationVersionName, "OFFIS_DCMTK_367");
});

Deno.test("describeAssociationRequest() of a rejected association has no answer per context", () => {
  const info = describeAssociationRequest(rq);
  assert.deepEqual(info.presentationContexts.map((pc) => pc.result), [undefined, undefined]);
});

Deno.test("describeUserIdentity() keeps the user name but never the passcode or a token", () => {
  const named = describeUserIdentity(rq.userInformation.userIdentity!);
  assert.deepEqual(named, {
    type: 2,
    typeName: "username-and-passcode",
    positiveResponseRequested: true,
    username: "tech",
    primaryFieldLength: 4,
    passcode: true,
  });
  assert.doesNotMatch(JSON.stringify(named), /s3cret/);
  const jwt = describeUserIdentity({
    identityType: 5,
    positiveResponseRequested: false,
    primaryField: bytes("eyJhbGciOi.secret.token"),
    secondaryField: new Uint8Array(),
  });
  assert.deepEqual(jwt, {
    type: 5,
    typeName: "jwt",
    positiveResponseRequested: false,
    primaryFieldLength: 23,
  });
});

Deno.test("describeUserIdentity() makes a hostile user name printable", () => {
  const info = describeUserIdentity({
    identityType: 1,
    positiveResponseRequested: false,
    primaryField: bytes("x\x1b[2Jy"),
    secondaryField: new Uint8Array(),
  });
  assert.equal(info.username, "x\\x1B[2Jy");
});
