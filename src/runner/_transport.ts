import type { Case } from "../scenario/mod.ts";

/**
 * Whether a case is about the transport itself (plain DICOM, `not-tls`, a
 * TCP result): it can judge a peer that does not speak TLS.
 *
 * @example
 * ```ts
 * import { aboutTransport } from "./_transport.ts";
 * import type { Case } from "../scenario/mod.ts";
 * declare const c: Case;
 * aboutTransport(c);
 * ```
 */
export function aboutTransport(c: Case): boolean {
  return c.harness.plain === true || c.expect.checks.some((k) =>
    k.path === "tcp" ||
    ((k.path === "tls" || k.path === "tls.status") &&
      [k.expected].flat().includes("not-tls"))
  );
}
