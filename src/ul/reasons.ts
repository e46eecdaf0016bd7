/**
 * PS3.8 names of the coded results, sources and reasons in A-ASSOCIATE-RJ
 * (Table 9-21), A-ABORT (Table 9-26) and presentation context results
 * (Table 9-18), in kebab case. A value the standard reserves decodes to
 * `reserved-N`, so that odd peers are reported, and re-encoded, exactly.
 */

/** A value PS3.8 reserves, kept with its code. */
export type Reserved = `reserved-${number}`;

/** A-ASSOCIATE-RJ result (PS3.8 Table 9-21). */
export type RejectResult = "rejected-permanent" | "rejected-transient" | Reserved;
/** A-ASSOCIATE-RJ source (PS3.8 Table 9-21). */
export type RejectSource =
  | "service-user"
  | "service-provider-acse"
  | "service-provider-presentation"
  | Reserved;
/** A-ASSOCIATE-RJ reason/diagnostic (PS3.8 Table 9-21); its meaning depends on the source. */
export type RejectReason =
  | "no-reason-given"
  | "application-context-name-not-supported"
  | "calling-ae-title-not-recognized"
  | "called-ae-title-not-recognized"
  | "protocol-version-not-supported"
  | "temporary-congestion"
  | "local-limit-exceeded"
  | Reserved;
/** A-ABORT source (PS3.8 Table 9-26). */
export type AbortSource = "service-user" | "reserved" | "service-provider" | Reserved;
/** A-ABORT reason/diagnostic (PS3.8 Table 9-26). */
export type AbortReason =
  | "reason-not-specified"
  | "unrecognized-pdu"
  | "unexpected-pdu"
  | "unrecognized-pdu-parameter"
  | "unexpected-pdu-parameter"
  | "invalid-pdu-parameter-value"
  | Reserved;
/** Presentation context result/reason in A-ASSOCIATE-AC (PS3.8 Table 9-18). */
export type PresentationContextResult =
  | "acceptance"
  | "user-rejection"
  | "no-reason"
  | "abstract-syntax-not-supported"
  | "transfer-syntaxes-not-supported"
  | Reserved;

type Table = Record<number, string>;

const REJECT_RESULT: Table = { 1: "rejected-permanent", 2: "rejected-transient" };
const REJECT_SOURCE: Table = {
  1: "service-user",
  2: "service-provider-acse",
  3: "service-provider-presentation",
};
/** Reasons are numbered per source (Table 9-21). */
const REJECT_REASON: Record<number, Table> = {
  1: {
    1: "no-reason-given",
    2: "application-context-name-not-supported",
    3: "calling-ae-title-not-recognized",
    7: "called-ae-title-not-recognized",
  },
  2: { 1: "no-reason-given", 2: "protocol-version-not-supported" },
  3: { 1: "temporary-congestion", 2: "local-limit-exceeded" },
};
const ABORT_SOURCE: Table = { 0: "service-user", 1: "reserved", 2: "service-provider" };
const ABORT_REASON: Table = {
  0: "reason-not-specified",
  1: "unrecognized-pdu",
  2: "unexpected-pdu",
  4: "unrecognized-pdu-parameter",
  5: "unexpected-pdu-parameter",
  6: "invalid-pdu-parameter-value",
};
const CONTEXT_RESULT: Table = {
  0: "acceptance",
  1: "user-rejection",
  2: "no-reason",
  3: "abstract-syntax-not-supported",
  4: "transfer-syntaxes-not-supported",
};

function name<T extends string>(table: Table, code: number): T {
  return (table[code] ?? `reserved-${code}`) as T;
}

function code(table: Table, value: string, what: string): number {
  const reserved = /^reserved-(\d+)$/.exec(value);
  if (reserved) return Number(reserved[1]);
  for (const [k, v] of Object.entries(table)) if (v === value) return Number(k);
  throw new RangeError(`Cannot encode ${what} "${value}": not a PS3.8 name`);
}

/**
 * The PS3.8 names of an A-ASSOCIATE-RJ's result, source and reason codes.
 *
 * @example
 * ```ts
 * import { rejectNames } from "./reasons.ts";
 * rejectNames(1, 1, 7); // { result: "rejected-permanent", source: "service-user", reason: "called-ae-title-not-recognized" }
 * ```
 */
export function rejectNames(
  result: number,
  source: number,
  reason: number,
): { result: RejectResult; source: RejectSource; reason: RejectReason } {
  return {
    result: name(REJECT_RESULT, result),
    source: name(REJECT_SOURCE, source),
    reason: name(REJECT_REASON[source] ?? {}, reason),
  };
}

/**
 * The codes of an A-ASSOCIATE-RJ's result, source and reason names.
 *
 * @example
 * ```ts
 * import { rejectCodes } from "./reasons.ts";
 * rejectCodes({ result: "rejected-transient", source: "service-provider-presentation", reason: "local-limit-exceeded" }); // [2, 3, 2]
 * ```
 */
export function rejectCodes(
  names: { result: RejectResult; source: RejectSource; reason: RejectReason },
): [number, number, number] {
  const source = code(REJECT_SOURCE, names.source, "reject source");
  return [
    code(REJECT_RESULT, names.result, "reject result"),
    source,
    code(REJECT_REASON[source] ?? {}, names.reason, `reject reason for source ${names.source}`),
  ];
}

/**
 * The PS3.8 names of an A-ABORT's source and reason codes.
 *
 * @example
 * ```ts
 * import { abortNames } from "./reasons.ts";
 * abortNames(2, 2); // { source: "service-provider", reason: "unexpected-pdu" }
 * ```
 */
export function abortNames(source: number, reason: number): {
  source: AbortSource;
  reason: AbortReason;
} {
  return { source: name(ABORT_SOURCE, source), reason: name(ABORT_REASON, reason) };
}

/**
 * The codes of an A-ABORT's source and reason names.
 *
 * @example
 * ```ts
 * import { abortCodes } from "./reasons.ts";
 * abortCodes({ source: "service-user", reason: "reason-not-specified" }); // [0, 0]
 * ```
 */
export function abortCodes(names: { source: AbortSource; reason: AbortReason }): [number, number] {
  return [
    code(ABORT_SOURCE, names.source, "abort source"),
    code(ABORT_REASON, names.reason, "abort reason"),
  ];
}

/**
 * The PS3.8 name of a presentation context result code.
 *
 * @example
 * ```ts
 * import { contextResultName } from "./reasons.ts";
 * contextResultName(3); // "abstract-syntax-not-supported"
 * ```
 */
export function contextResultName(value: number): PresentationContextResult {
  return name(CONTEXT_RESULT, value);
}

/**
 * The code of a presentation context result name.
 *
 * @example
 * ```ts
 * import { contextResultCode } from "./reasons.ts";
 * contextResultCode("acceptance"); // 0
 * ```
 */
export function contextResultCode(value: PresentationContextResult): number {
  return code(CONTEXT_RESULT, value, "presentation context result");
}
