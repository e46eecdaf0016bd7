import type { Case } from "../scenario/mod.ts";

/**
 * Whether a case checks the transport itself: plain DICOM (`tls: off`), or
 * an expectation of `tls: not-tls` or `tcp:`. A peer that does not speak
 * TLS (a failed TLS sanity check, an inbound SUT that sent no ClientHello)
 * is its subject rather than a reason not to judge it.
 *
 * @example
 * ```ts
 * import { aboutTransport } from "./_about_transport.ts";
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
