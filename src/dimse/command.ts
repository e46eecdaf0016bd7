/**
 * DIMSE command sets (PS3.7 section 9.3, Annex E): group 0000 elements in
 * implicit VR little endian, led by Command Group Length (0000,0000).
 */

/** A command set, by PS3.7 Annex E keywords. Absent fields are not encoded. */
export interface CommandSet {
  /** (0000,0002) the SOP Class of the operation. */
  AffectedSOPClassUID?: string;
  /** (0000,0003) the SOP Class asked for (N-services). */
  RequestedSOPClassUID?: string;
  /** e.g. 0x0030 C-ECHO-RQ, 0x8030 C-ECHO-RSP; see {@linkcode COMMAND_FIELDS}. */
  CommandField?: number;
  /** (0000,0110) the request's number on this association. */
  MessageID?: number;
  /** (0000,0120) the Message ID of the request a response answers. */
  MessageIDBeingRespondedTo?: number;
  /** (0000,0600) the AE title C-MOVE sends to. */
  MoveDestination?: string;
  /** 0 medium, 1 high, 2 low. */
  Priority?: number;
  /** 0x0101: no data set follows; anything else: one does. */
  CommandDataSetType?: number;
  /** (0000,0900) the response status, see `describeStatus`. */
  Status?: number;
  /** Tags as (group << 16 | element). */
  OffendingElement?: number[];
  /** (0000,0902) free text about a failure status. */
  ErrorComment?: string;
  /** (0000,0903) an implementation-specific error code. */
  ErrorID?: number;
  /** (0000,1000) the SOP Instance of the operation. */
  AffectedSOPInstanceUID?: string;
  /** (0000,1001) the SOP Instance asked for (N-services). */
  RequestedSOPInstanceUID?: string;
  /** (0000,1002) the N-EVENT-REPORT event type. */
  EventTypeID?: number;
  /** (0000,1005) the attributes asked for (N-GET), as tags. */
  AttributeIdentifierList?: number[];
  /** (0000,1008) the N-ACTION action type. */
  ActionTypeID?: number;
  /** (0000,1020) C-MOVE/C-GET sub-operations still to do. */
  NumberOfRemainingSuboperations?: number;
  /** (0000,1021) C-MOVE/C-GET sub-operations that succeeded. */
  NumberOfCompletedSuboperations?: number;
  /** (0000,1022) C-MOVE/C-GET sub-operations that failed. */
  NumberOfFailedSuboperations?: number;
  /** (0000,1023) C-MOVE/C-GET sub-operations that gave a warning. */
  NumberOfWarningSuboperations?: number;
  /** (0000,1030) the AE title that asked for the C-MOVE. */
  MoveOriginatorApplicationEntityTitle?: string;
  /** (0000,1031) the Message ID of that C-MOVE request. */
  MoveOriginatorMessageID?: number;
  /** Elements we do not know, kept raw: element number (group 0000) and value bytes. */
  unknown?: { element: number; value: Uint8Array }[];
}

type Keyword = Exclude<keyof CommandSet, "unknown">;
type Vr = "UI" | "US" | "UL" | "AE" | "LO" | "AT";

/** PS3.7 Annex E: element number, keyword, VR. */
const FIELDS: [number, Keyword, Vr][] = [
  [0x0002, "AffectedSOPClassUID", "UI"],
  [0x0003, "RequestedSOPClassUID", "UI"],
  [0x0100, "CommandField", "US"],
  [0x0110, "MessageID", "US"],
  [0x0120, "MessageIDBeingRespondedTo", "US"],
  [0x0600, "MoveDestination", "AE"],
  [0x0700, "Priority", "US"],
  [0x0800, "CommandDataSetType", "US"],
  [0x0900, "Status", "US"],
  [0x0901, "OffendingElement", "AT"],
  [0x0902, "ErrorComment", "LO"],
  [0x0903, "ErrorID", "US"],
  [0x1000, "AffectedSOPInstanceUID", "UI"],
  [0x1001, "RequestedSOPInstanceUID", "UI"],
  [0x1002, "EventTypeID", "US"],
  [0x1005, "AttributeIdentifierList", "AT"],
  [0x1008, "ActionTypeID", "US"],
  [0x1020, "NumberOfRemainingSuboperations", "US"],
  [0x1021, "NumberOfCompletedSuboperations", "US"],
  [0x1022, "NumberOfFailedSuboperations", "US"],
  [0x1023, "NumberOfWarningSuboperations", "US"],
  [0x1030, "MoveOriginatorApplicationEntityTitle", "AE"],
  [0x1031, "MoveOriginatorMessageID", "US"],
];
const BY_ELEMENT = new Map(FIELDS.map(([e, k, vr]) => [e, { keyword: k, vr }]));

/** PS3.7 Annex E command field codes by DIMSE message name. */
export const COMMAND_FIELDS = {
  "C-STORE-RQ": 0x0001,
  "C-STORE-RSP": 0x8001,
  "C-GET-RQ": 0x0010,
  "C-GET-RSP": 0x8010,
  "C-FIND-RQ": 0x0020,
  "C-FIND-RSP": 0x8020,
  "C-MOVE-RQ": 0x0021,
  "C-MOVE-RSP": 0x8021,
  "C-ECHO-RQ": 0x0030,
  "C-ECHO-RSP": 0x8030,
  "N-EVENT-REPORT-RQ": 0x0100,
  "N-EVENT-REPORT-RSP": 0x8100,
  "N-GET-RQ": 0x0110,
  "N-GET-RSP": 0x8110,
  "N-SET-RQ": 0x0120,
  "N-SET-RSP": 0x8120,
  "N-ACTION-RQ": 0x0130,
  "N-ACTION-RSP": 0x8130,
  "N-CREATE-RQ": 0x0140,
  "N-CREATE-RSP": 0x8140,
  "N-DELETE-RQ": 0x0150,
  "N-DELETE-RSP": 0x8150,
  "C-CANCEL-RQ": 0x0fff,
} as const;

/** Command Data Set Type (0000,0800) meaning "no data set follows". */
export const NO_DATA_SET = 0x0101;

/**
 * The DIMSE message name of a command field code, e.g. "C-ECHO-RSP".
 *
 * @example
 * ```ts
 * import { commandName } from "./command.ts";
 * commandName(0x8030); // "C-ECHO-RSP"
 * commandName(0x4242); // "unknown command 0x4242"
 * ```
 */
export function commandName(code: number | undefined): string {
  for (const [name, c] of Object.entries(COMMAND_FIELDS)) if (c === code) return name;
  return `unknown command 0x${(code ?? 0).toString(16).padStart(4, "0")}`;
}

/**
 * A command set that cannot be decoded, or a DIMSE message that breaks
 * PS3.7 (e.g. a data set fragment before the command ended).
 *
 * @example
 * ```ts
 * import { DimseError } from "./command.ts";
 * new DimseError("Cannot decode command set: element (0008,0016) is not in group 0000");
 * ```
 */
export class DimseError extends Error {
  /** The error name, "DimseError". */
  override name = "DimseError";
}

/**
 * Encodes a command set in implicit VR little endian, elements in ascending
 * order after a computed Command Group Length (0000,0000).
 *
 * @example
 * ```ts
 * import { encodeCommand } from "./command.ts";
 * const bytes = encodeCommand({ CommandField: 0x0030, MessageID: 1, AffectedSOPClassUID: "1.2.840.10008.1.1", CommandDataSetType: 0x0101 });
 * ```
 */
export function encodeCommand(command: CommandSet): Uint8Array {
  const elements: { element: number; value: Uint8Array }[] = [...(command.unknown ?? [])];
  for (const [element, keyword, vr] of FIELDS) {
    const v = command[keyword];
    if (v !== undefined) elements.push({ element, value: encodeValue(vr, v) });
  }
  elements.sort((a, b) => a.element - b.element);
  const bodyLength = elements.reduce((n, e) => n + 8 + e.value.length, 0);
  const out = new Uint8Array(12 + bodyLength);
  const view = new DataView(out.buffer);
  view.setUint32(4, 4, true); // (0000,0000) UL, length 4
  view.setUint32(8, bodyLength, true);
  let at = 12;
  for (const { element, value } of elements) {
    view.setUint16(at, 0, true);
    view.setUint16(at + 2, element, true);
    view.setUint32(at + 4, value.length, true);
    out.set(value, at + 8);
    at += 8 + value.length;
  }
  return out;
}

function encodeValue(vr: Vr, v: string | number | number[]): Uint8Array {
  if (vr === "US" || vr === "UL") {
    const out = new DataView(new ArrayBuffer(vr === "US" ? 2 : 4));
    if (vr === "US") out.setUint16(0, v as number, true);
    else out.setUint32(0, v as number, true);
    return new Uint8Array(out.buffer);
  }
  if (vr === "AT") {
    const tags = v as number[];
    const out = new DataView(new ArrayBuffer(4 * tags.length));
    tags.forEach((t, i) => {
      out.setUint16(4 * i, t >>> 16, true);
      out.setUint16(4 * i + 2, t & 0xffff, true);
    });
    return new Uint8Array(out.buffer);
  }
  // UIs pad with NUL, text with a space, to an even length (PS3.5 6.2).
  const s = v as string;
  const padded = s.length % 2 ? s + (vr === "UI" ? "\0" : " ") : s;
  return new TextEncoder().encode(padded);
}

/**
 * Decodes an implicit VR little endian command set. Throws DimseError for
 * bytes that are not one.
 *
 * @example
 * ```ts
 * import { decodeCommand, encodeCommand } from "./command.ts";
 * const command = decodeCommand(encodeCommand({ CommandField: 0x8030, MessageIDBeingRespondedTo: 1, Status: 0 }));
 * command.Status; // 0
 * ```
 */
export function decodeCommand(bytes: Uint8Array): CommandSet {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const command: CommandSet = {};
  const record = command as Record<string, unknown>;
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 8) fail(`element header at offset ${at} is truncated`);
    const group = view.getUint16(at, true);
    const element = view.getUint16(at + 2, true);
    const length = view.getUint32(at + 4, true);
    const tag = `(${hex(group)},${hex(element)})`;
    if (group !== 0) fail(`element ${tag} is not in group 0000`);
    if (length > bytes.length - at - 8) {
      fail(`element ${tag} declares length ${length} past the end`);
    }
    const value = bytes.subarray(at + 8, at + 8 + length);
    at += 8 + length;
    if (element === 0) {
      // Command Group Length (PS3.7 E.1): the bytes after it. Recomputed on encode.
      const follow = bytes.length - at;
      if (length !== 4 || view.getUint32(at - 4, true) !== follow) {
        fail(
          `(0000,0000) Command Group Length says ${
            length === 4 ? view.getUint32(at - 4, true) : `a ${length}-byte value`
          }, but ${follow} bytes follow it`,
        );
      }
      continue;
    }
    const field = BY_ELEMENT.get(element);
    if (!field) (command.unknown ??= []).push({ element, value: value.slice() });
    else record[field.keyword] = decodeValue(field.vr, value, tag);
  }
  return command;
}

function decodeValue(vr: Vr, value: Uint8Array, tag: string): string | number | number[] {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  if (vr === "US" || vr === "UL") {
    const size = vr === "US" ? 2 : 4;
    if (value.length !== size) {
      fail(`element ${tag} (${vr}) has length ${value.length}, expected ${size}`);
    }
    return size === 2 ? view.getUint16(0, true) : view.getUint32(0, true);
  }
  if (vr === "AT") {
    if (value.length % 4) {
      fail(`element ${tag} (AT) has length ${value.length}, not a multiple of 4`);
    }
    const tags: number[] = [];
    for (let i = 0; i < value.length; i += 4) {
      tags.push(((view.getUint16(i, true) << 16) | view.getUint16(i + 2, true)) >>> 0);
    }
    return tags;
  }
  return new TextDecoder("latin1").decode(value).replace(/[\0 ]+$/, "");
}

function fail(message: string): never {
  throw new DimseError(`Cannot decode command set: ${message}`);
}

function hex(n: number): string {
  return n.toString(16).padStart(4, "0").toUpperCase();
}
