import { latin1, Reader, uid } from "./_bytes.ts";
import type {
  AAssociateAc,
  AAssociateRq,
  Pdu,
  PduType,
  Pdv,
  PresentationContextAc,
  PresentationContextRq,
  RawItem,
  RoleSelection,
  UserInformation,
} from "./pdu.ts";
import { PduError } from "./pdu_error.ts";
import { abortNames, contextResultName, rejectNames } from "./reasons.ts";

const TYPES: Record<number, PduType> = {
  1: "A-ASSOCIATE-RQ",
  2: "A-ASSOCIATE-AC",
  3: "A-ASSOCIATE-RJ",
  4: "P-DATA-TF",
  5: "A-RELEASE-RQ",
  6: "A-RELEASE-RP",
  7: "A-ABORT",
};

/**
 * Decodes one whole PDU (header included, as {@linkcode PduFramer} emits it).
 * Bad bytes give a {@linkcode PduError} naming the PS3.8 abort reason and the
 * offset; it never throws.
 *
 * @example
 * ```ts
 * import { decodePdu } from "./decode.ts";
 * const pdu = decodePdu(new Uint8Array([7, 0, 0, 0, 0, 4, 0, 0, 2, 2]));
 * // { type: "A-ABORT", source: "service-provider", reason: "unexpected-pdu" }
 * ```
 */
export function decodePdu(bytes: Uint8Array): Pdu | PduError {
  try {
    return decode(new Reader(bytes));
  } catch (e) {
    if (e instanceof PduError) return e;
    throw e;
  }
}

function fail(reason: PduError["reason"], offset: number, message: string): never {
  throw new PduError({ reason, offset, message: `Cannot decode PDU: ${message}` });
}

function decode(r: Reader): Pdu {
  const code = r.u8("PDU type");
  const type = TYPES[code];
  if (!type) fail("unrecognized-pdu", 0, `type 0x${hex(code)} is not a PS3.8 PDU type`);
  r.u8("reserved byte");
  const length = r.u32("PDU length");
  if (length !== r.remaining) {
    fail(
      "invalid-pdu-parameter-value",
      2,
      `${type} declares length ${length} but ${r.remaining} bytes follow the header`,
    );
  }
  switch (type) {
    case "A-ASSOCIATE-RQ":
    case "A-ASSOCIATE-AC":
      return associate(type, r);
    case "A-ASSOCIATE-RJ": {
      fixedLength(type, length, 4);
      r.u8("reserved");
      return { type, ...rejectNames(r.u8("result"), r.u8("source"), r.u8("reason")) };
    }
    case "P-DATA-TF":
      return { type, pdvs: pdvs(r) };
    case "A-RELEASE-RQ":
    case "A-RELEASE-RP":
      fixedLength(type, length, 4);
      return { type };
    case "A-ABORT": {
      fixedLength(type, length, 4);
      r.take(2, "reserved");
      return { type, ...abortNames(r.u8("source"), r.u8("reason")) };
    }
  }
}

function fixedLength(type: PduType, length: number, expected: number): void {
  if (length !== expected) {
    fail("invalid-pdu-parameter-value", 2, `${type} length is ${length}, PS3.8 says ${expected}`);
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(2, "0");
}

function aeTitle(r: Reader, what: string): string {
  // Trailing spaces pad the 16 bytes; leading spaces are significant.
  return latin1(r.take(16, what)).replace(/[ \0]+$/, "");
}

/** Reads item headers (type, reserved, 2-byte length) until the reader is empty. */
function* items(
  r: Reader,
  what: string,
): Generator<{ itemType: number; at: number; body: Reader }> {
  while (r.remaining > 0) {
    const at = r.at;
    const itemType = r.u8(`${what} item type`);
    r.u8("reserved");
    const length = r.u16(`${what} item length`);
    if (length > r.remaining) {
      fail(
        "invalid-pdu-parameter-value",
        at + 2,
        `item 0x${
          hex(itemType)
        } at offset ${at} declares length ${length}, only ${r.remaining} bytes left`,
      );
    }
    yield { itemType, at, body: r.sub(length, `item 0x${hex(itemType)}`) };
  }
}

function associate(
  type: "A-ASSOCIATE-RQ" | "A-ASSOCIATE-AC",
  r: Reader,
): AAssociateRq | AAssociateAc {
  const protocolVersion = r.u16("protocol version");
  r.take(2, "reserved");
  const calledAe = aeTitle(r, "called AE title");
  const callingAe = aeTitle(r, "calling AE title");
  r.take(32, "reserved");
  let applicationContext: string | undefined;
  let userInformation: UserInformation | undefined;
  const rqContexts: PresentationContextRq[] = [];
  const acContexts: PresentationContextAc[] = [];
  const unknownItems: RawItem[] = [];
  const contextType = type === "A-ASSOCIATE-RQ" ? 0x20 : 0x21;
  for (const { itemType, at, body } of items(r, type)) {
    if (itemType === 0x10) {
      if (applicationContext !== undefined) {
        fail("unexpected-pdu-parameter", at, "second application context item");
      }
      applicationContext = uid(body.take(body.remaining, "application context"));
    } else if (itemType === contextType) {
      if (type === "A-ASSOCIATE-RQ") rqContexts.push(requestedContext(body, at, rqContexts));
      else acContexts.push(contextAc(body));
    } else if (itemType === 0x20 || itemType === 0x21) {
      fail(
        "unexpected-pdu-parameter",
        at,
        `presentation context item 0x${hex(itemType)} in ${type}`,
      );
    } else if (itemType === 0x50) {
      if (userInformation) fail("unexpected-pdu-parameter", at, "second user information item");
      userInformation = userInfo(body);
    } else {
      unknownItems.push({ itemType, data: body.take(body.remaining, "item") });
    }
  }
  if (applicationContext === undefined) {
    fail("invalid-pdu-parameter-value", 6, `${type} has no application context item`);
  }
  if (!userInformation) {
    fail("invalid-pdu-parameter-value", 6, `${type} has no user information item`);
  }
  if (type === "A-ASSOCIATE-RQ" && rqContexts.length === 0) {
    fail("invalid-pdu-parameter-value", 6, "A-ASSOCIATE-RQ has no presentation context item");
  }
  const common = {
    protocolVersion,
    calledAe,
    callingAe,
    applicationContext,
    userInformation,
    ...(unknownItems.length ? { unknownItems } : {}),
  };
  return type === "A-ASSOCIATE-RQ"
    ? { type, ...common, presentationContexts: rqContexts }
    : { type, ...common, presentationContexts: acContexts };
}

// PS3.8 9.3.2.2: a requested context's ID is odd (1-255) and names one context.
function requestedContext(
  r: Reader,
  at: number,
  earlier: PresentationContextRq[],
): PresentationContextRq {
  const context = contextRq(r);
  if (context.id % 2 === 0) {
    fail("invalid-pdu-parameter-value", at + 4, `presentation context ID ${context.id} is even`);
  }
  if (earlier.some((c) => c.id === context.id)) {
    fail("invalid-pdu-parameter-value", at + 4, `presentation context ID ${context.id} repeats`);
  }
  return context;
}

function contextRq(r: Reader): PresentationContextRq {
  const id = r.u8("presentation context ID");
  const reserved = Array.from(r.take(3, "reserved"));
  let abstractSyntax: string | undefined;
  const transferSyntaxes: string[] = [];
  for (const { itemType, at, body } of items(r, "presentation context")) {
    const value = uid(body.take(body.remaining, "syntax"));
    if (itemType === 0x30 && abstractSyntax === undefined) abstractSyntax = value;
    else if (itemType === 0x40) transferSyntaxes.push(value);
    else {fail(
        "unexpected-pdu-parameter",
        at,
        `sub-item 0x${hex(itemType)} in presentation context ${id}`,
      );}
  }
  if (abstractSyntax === undefined || transferSyntaxes.length === 0) {
    fail(
      "invalid-pdu-parameter-value",
      r.base,
      `presentation context ${id} needs one abstract syntax and at least one transfer syntax`,
    );
  }
  return { id, abstractSyntax, transferSyntaxes, ...(reserved.some((b) => b) ? { reserved } : {}) };
}

function contextAc(r: Reader): PresentationContextAc {
  const id = r.u8("presentation context ID");
  r.u8("reserved");
  const result = contextResultName(r.u8("result/reason"));
  r.u8("reserved");
  let transferSyntax: string | undefined;
  for (const { itemType, at, body } of items(r, "presentation context")) {
    if (itemType !== 0x40 || transferSyntax !== undefined) {
      fail(
        "unexpected-pdu-parameter",
        at,
        `sub-item 0x${hex(itemType)} in presentation context ${id}`,
      );
    }
    transferSyntax = uid(body.take(body.remaining, "transfer syntax"));
  }
  return { id, result, ...(transferSyntax !== undefined ? { transferSyntax } : {}) };
}

function userInfo(r: Reader): UserInformation {
  const info: UserInformation = {};
  const unknown: RawItem[] = [];
  const roles: RoleSelection[] = [];
  for (const { itemType, at, body } of items(r, "user information")) {
    const once = (key: keyof UserInformation) => {
      if (info[key] !== undefined) fail("unexpected-pdu-parameter", at, `second ${key} sub-item`);
    };
    switch (itemType) {
      case 0x51:
        once("maxPduLength");
        info.maxPduLength = exactly(body, 4, "maximum length").u32("maximum length");
        break;
      case 0x52:
        once("implementationClassUid");
        info.implementationClassUid = uid(body.take(body.remaining, "implementation class UID"));
        break;
      case 0x53: {
        once("asynchronousOperationsWindow");
        const b = exactly(body, 4, "asynchronous operations window");
        info.asynchronousOperationsWindow = {
          maxOperationsInvoked: b.u16("maximum operations invoked"),
          maxOperationsPerformed: b.u16("maximum operations performed"),
        };
        break;
      }
      case 0x54: {
        const sopClassUid = uid(body.take(body.u16("UID length"), "SOP class UID"));
        const b = exactly(body, 2, "role selection");
        roles.push({ sopClassUid, scuRole: b.u8("SCU role"), scpRole: b.u8("SCP role") });
        break;
      }
      case 0x55:
        once("implementationVersionName");
        info.implementationVersionName = latin1(
          body.take(body.remaining, "implementation version name"),
        );
        break;
      case 0x58: {
        once("userIdentity");
        const identityType = body.u8("user identity type");
        const positiveResponseRequested = body.u8("positive response requested") === 1;
        const primaryField = body.take(body.u16("primary field length"), "primary field");
        const secondaryField = body.take(body.u16("secondary field length"), "secondary field");
        exactly(body, 0, "user identity");
        info.userIdentity = {
          identityType,
          positiveResponseRequested,
          primaryField,
          secondaryField,
        };
        break;
      }
      case 0x59: {
        once("userIdentityResponse");
        info.userIdentityResponse = body.take(
          body.u16("server response length"),
          "server response",
        );
        exactly(body, 0, "user identity response");
        break;
      }
      default:
        unknown.push({ itemType, data: body.take(body.remaining, "sub-item") });
    }
  }
  if (roles.length) info.roleSelections = roles;
  if (unknown.length) info.unknown = unknown;
  return info;
}

/** The body must have exactly n bytes left: a sub-item of fixed size. */
function exactly(r: Reader, n: number, what: string): Reader {
  if (r.remaining !== n) {
    fail(
      "invalid-pdu-parameter-value",
      r.at,
      `${what} sub-item has ${r.remaining} bytes, PS3.7 says ${n}`,
    );
  }
  return r;
}

function pdvs(r: Reader): Pdv[] {
  const out: Pdv[] = [];
  while (r.remaining > 0) {
    const at = r.at;
    const length = r.u32("PDV item length");
    if (length < 2 || length > r.remaining) {
      fail(
        "invalid-pdu-parameter-value",
        at,
        `PDV item at offset ${at} declares length ${length}, ${r.remaining} bytes left`,
      );
    }
    const contextId = r.u8("presentation context ID");
    const header = r.u8("message control header");
    out.push({
      contextId,
      isCommand: (header & 1) === 1,
      isLast: (header & 2) === 2,
      data: r.take(length - 2, "PDV data"),
    });
  }
  if (out.length === 0) fail("invalid-pdu-parameter-value", 6, "P-DATA-TF has no PDV item");
  return out;
}
