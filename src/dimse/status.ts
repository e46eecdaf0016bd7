/**
 * DIMSE status codes (PS3.7 Annex C) with their names and categories.
 */

/** PS3.7 C.1 status categories. */
export type StatusCategory = "success" | "warning" | "failure" | "cancel" | "pending";

/** A status code, its PS3.7 name and category. */
export interface DimseStatus {
  /** The Status (0000,0900) value, e.g. 0xA700. */
  code: number;
  /** e.g. "Success", "Refused: Out of Resources", "Error: Cannot Understand". */
  name: string;
  /** Its PS3.7 C.1 category. */
  category: StatusCategory;
}

const NAMES: Record<number, string> = {
  0x0000: "Success",
  0x0001: "Warning: Requested optional Attributes are not supported",
  0x0105: "Failure: No such attribute",
  0x0106: "Failure: Invalid attribute value",
  0x0107: "Warning: Attribute list error",
  0x0110: "Failure: Processing failure",
  0x0111: "Failure: Duplicate SOP Instance",
  0x0112: "Failure: No such SOP Instance",
  0x0113: "Failure: No such event type",
  0x0114: "Failure: No such argument",
  0x0115: "Failure: Invalid argument value",
  0x0116: "Warning: Attribute Value Out of Range",
  0x0117: "Failure: Invalid SOP Instance",
  0x0118: "Failure: No such SOP Class",
  0x0119: "Failure: Class-Instance conflict",
  0x0120: "Failure: Missing attribute",
  0x0121: "Failure: Missing attribute value",
  0x0122: "Refused: SOP Class not supported",
  0x0123: "Failure: No such action",
  0x0124: "Refused: Not authorized",
  0x0210: "Failure: Duplicate invocation",
  0x0211: "Failure: Unrecognized operation",
  0x0212: "Failure: Mistyped argument",
  0x0213: "Failure: Resource limitation",
  0xa700: "Refused: Out of Resources",
  0xa701: "Refused: Out of Resources - Unable to calculate number of matches",
  0xa702: "Refused: Out of Resources - Unable to perform sub-operations",
  0xa801: "Refused: Move Destination unknown",
  0xa900: "Error: Data Set does not match SOP Class",
  0xb000: "Warning: Coercion of Data Elements",
  0xb006: "Warning: Elements Discarded",
  0xb007: "Warning: Data Set does not match SOP Class",
  0xfe00: "Cancel",
  0xff00: "Pending",
  0xff01: "Pending: Optional Keys not supported",
};

/**
 * Every status name {@linkcode describeStatus} gives a named code or range
 * (the names a scenario may expect), without the "Failure 0xNNNN" it gives
 * the others.
 *
 * @example
 * ```ts
 * import { STATUS_NAMES } from "./status.ts";
 * STATUS_NAMES.includes("Refused: Out of Resources"); // true
 * ```
 */
export const STATUS_NAMES: readonly string[] = [
  ...new Set([...Object.values(NAMES), "Error: Cannot Understand"]),
];

/**
 * The PS3.7 category of a status code (C.1): 0000 success; 0001, Bxxx, 0107
 * and 0116 warnings; FE00 cancel; FF00/FF01 pending; everything else failure.
 *
 * @example
 * ```ts
 * import { statusCategory } from "./status.ts";
 * statusCategory(0xb000); // "warning"
 * statusCategory(0xa700); // "failure"
 * ```
 */
export function statusCategory(code: number): StatusCategory {
  if (code === 0) return "success";
  if (code === 0x0001 || code === 0x0107 || code === 0x0116 || (code & 0xf000) === 0xb000) {
    return "warning";
  }
  if (code === 0xfe00) return "cancel";
  if (code === 0xff00 || code === 0xff01) return "pending";
  return "failure";
}

/**
 * A status code with its PS3.7 name and category. Ranges the standard names
 * by their first digits (A7xx, A9xx, Cxxx) get that range's name.
 *
 * @example
 * ```ts
 * import { describeStatus } from "./status.ts";
 * describeStatus(0xc123); // { code: 0xc123, name: "Error: Cannot Understand", category: "failure" }
 * ```
 */
export function describeStatus(code: number): DimseStatus {
  const hex = code.toString(16).padStart(4, "0").toUpperCase();
  const name = NAMES[code] ??
    ((code & 0xff00) === 0xa700
      ? "Refused: Out of Resources"
      : (code & 0xff00) === 0xa900
      ? "Error: Data Set does not match SOP Class"
      : (code & 0xf000) === 0xc000
      ? "Error: Cannot Understand"
      : `${statusCategory(code) === "warning" ? "Warning" : "Failure"} 0x${hex}`);
  return { code, name, category: statusCategory(code) };
}
