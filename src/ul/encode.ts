import { latin1Bytes, Writer } from "./_bytes.ts";
import { type Pdu, PDU_TYPE_CODES, type RawItem, type UserInformation } from "./pdu.ts";
import { abortCodes, contextResultCode, rejectCodes } from "./reasons.ts";

/**
 * Encodes a PDU to its PS3.8 bytes, header included. Items are written in
 * the order PS3.8 and PS3.7 Annex D list them; unknown items go by type code.
 *
 * @example
 * ```ts
 * import { encodePdu } from "./encode.ts";
 * encodePdu({ type: "A-RELEASE-RQ" }); // Uint8Array [5, 0, 0, 0, 0, 4, 0, 0, 0, 0]
 * ```
 */
export function encodePdu(pdu: Pdu): Uint8Array {
  const body = new Writer();
  switch (pdu.type) {
    case "A-ASSOCIATE-RQ":
    case "A-ASSOCIATE-AC": {
      body.u16(pdu.protocolVersion).u16(0);
      body.bytes(aeTitle(pdu.calledAe)).bytes(aeTitle(pdu.callingAe)).bytes(new Uint8Array(32));
      const list: RawItem[] = [{ itemType: 0x10, data: latin1Bytes(pdu.applicationContext) }];
      for (const pc of pdu.presentationContexts) {
        const w = new Writer();
        if ("transferSyntaxes" in pc) {
          const [a = 0, b = 0, c = 0] = pc.reserved ?? [];
          w.u8(pc.id).u8(a).u8(b).u8(c).bytes(item(0x30, latin1Bytes(pc.abstractSyntax)));
          for (const ts of pc.transferSyntaxes) w.bytes(item(0x40, latin1Bytes(ts)));
          list.push({ itemType: 0x20, data: w.finish() });
        } else {
          w.u8(pc.id).u8(0).u8(contextResultCode(pc.result)).u8(0);
          if (pc.transferSyntax !== undefined) w.bytes(item(0x40, latin1Bytes(pc.transferSyntax)));
          list.push({ itemType: 0x21, data: w.finish() });
        }
      }
      list.push({ itemType: 0x50, data: userInfo(pdu.userInformation) });
      for (const raw of sorted(list, pdu.unknownItems)) body.bytes(item(raw.itemType, raw.data));
      break;
    }
    case "A-ASSOCIATE-RJ": {
      const [result, source, reason] = rejectCodes(pdu);
      body.u8(0).u8(result).u8(source).u8(reason);
      break;
    }
    case "P-DATA-TF":
      for (const pdv of pdu.pdvs) {
        body.u32(pdv.data.length + 2).u8(pdv.contextId);
        body.u8((pdv.isCommand ? 1 : 0) | (pdv.isLast ? 2 : 0)).bytes(pdv.data);
      }
      break;
    case "A-RELEASE-RQ":
    case "A-RELEASE-RP":
      body.u32(0);
      break;
    case "A-ABORT": {
      const [source, reason] = abortCodes(pdu);
      body.u8(0).u8(0).u8(source).u8(reason);
      break;
    }
  }
  return withHeader(pdu.type, body.finish());
}

function withHeader(type: Pdu["type"], body: Uint8Array): Uint8Array {
  return new Writer().u8(PDU_TYPE_CODES[type]).u8(0).u32(body.length).bytes(body).finish();
}

function item(itemType: number, data: Uint8Array): Uint8Array {
  if (data.length > 0xffff) {
    throw new RangeError(
      `Cannot encode item 0x${itemType.toString(16)}: ${data.length} bytes exceed 65535`,
    );
  }
  return new Writer().u8(itemType).u8(0).u16(data.length).bytes(data).finish();
}

// A title the field cannot hold is refused, not cut: a cut title would call another AE.
// (User input is checked first, see ae_title.ts; decoded titles always fit.)
function aeTitle(ae: string): Uint8Array {
  if (ae.length > 16) {
    throw new RangeError(`Cannot encode AE title '${ae}': ${ae.length} characters exceed 16`);
  }
  return latin1Bytes(ae.padEnd(16, " "));
}

/** Known items first in their given order, unknown ones slotted by type code (a stable sort). */
function sorted(known: RawItem[], unknown: RawItem[] = []): RawItem[] {
  return [...known, ...unknown].sort((a, b) => a.itemType - b.itemType);
}

function userInfo(info: UserInformation): Uint8Array {
  const list: RawItem[] = [];
  const add = (itemType: number, w: Writer) => list.push({ itemType, data: w.finish() });
  if (info.maxPduLength !== undefined) add(0x51, new Writer().u32(info.maxPduLength));
  if (info.implementationClassUid !== undefined) {
    add(0x52, new Writer().bytes(latin1Bytes(info.implementationClassUid)));
  }
  const window = info.asynchronousOperationsWindow;
  if (window) {
    add(0x53, new Writer().u16(window.maxOperationsInvoked).u16(window.maxOperationsPerformed));
  }
  for (const role of info.roleSelections ?? []) {
    const uid = latin1Bytes(role.sopClassUid);
    add(0x54, new Writer().u16(uid.length).bytes(uid).u8(role.scuRole).u8(role.scpRole));
  }
  if (info.implementationVersionName !== undefined) {
    add(0x55, new Writer().bytes(latin1Bytes(info.implementationVersionName)));
  }
  const id = info.userIdentity;
  if (id) {
    add(
      0x58,
      new Writer().u8(id.identityType).u8(id.positiveResponseRequested ? 1 : 0)
        .u16(id.primaryField.length).bytes(id.primaryField)
        .u16(id.secondaryField.length).bytes(id.secondaryField),
    );
  }
  if (info.userIdentityResponse) {
    add(0x59, new Writer().u16(info.userIdentityResponse.length).bytes(info.userIdentityResponse));
  }
  const w = new Writer();
  for (const raw of sorted(list, info.unknown)) w.bytes(item(raw.itemType, raw.data));
  return w.finish();
}
