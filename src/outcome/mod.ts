/**
 * The Outcome record: what happened in one secure DICOM conversation, stage
 * by stage (TCP, TLS, association, DIMSE), as plain JSON-serialisable data,
 * and the vocabulary of certificate verification reasons.
 *
 * @example
 * ```ts
 * import type { Outcome } from "./mod.ts";
 * function summary(o: Outcome) { return `${o.ok ? "ok" : "failed"} at ${o.stage}`; }
 * ```
 * @module
 */
export * from "./inbound.ts";
export * from "./outcome.ts";
export * from "./reasons.ts";
export * from "./wire.ts";
