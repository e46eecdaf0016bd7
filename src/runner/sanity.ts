import type { Case } from "../scenario/mod.ts";
import { connectTls } from "../tls/mod.ts";
import type { CaseResult } from "./result.ts";
import { emptyResult } from "./_case.ts";

/** What a sanity check found: whether the target answers TLS, in words. */
export interface SanityVerdict {
  /** Whether the target accepted TCP and answered TLS (a handshake or a refusal). */
  ok: boolean;
  /** What was seen, e.g. "TLS TLSv1.3 answered at 127.0.0.1:11112". */
  message: string;
}

/**
 * The dead-target check (tlsfuzzer's "sanity" conversation), run before a
 * suite's cases and again when a case does not reach the target: the
 * target must accept TCP and answer a TLS ClientHello, with a handshake or
 * a refusal.
 *
 * @example
 * ```ts
 * import { checkTarget } from "./sanity.ts";
 * const verdict = await checkTarget({ host: "127.0.0.1", port: 11112 });
 * console.log(verdict.ok, verdict.message);
 * ```
 */
export async function checkTarget(target: { host: string; port: number }): Promise<SanityVerdict> {
  const { host, port } = target;
  const c = await connectTls({ host, port, timeoutMs: 5000 });
  if (c.ok) c.socket.destroy();
  const ok = c.tcp.status === "connected" && (c.ok || c.tls?.status === "refused-by-peer");
  const message = c.tcp.status !== "connected"
    ? `TCP ${c.tcp.status} at ${host}:${port}${c.tcp.error ? ` (${c.tcp.error})` : ""}`
    : c.ok
    ? `TLS ${c.tls.protocol} answered at ${host}:${port}`
    : `no TLS answer at ${host}:${port}: ${c.tls?.status}${
      c.tls?.error ? ` (${c.tls.error})` : ""
    }`;
  return { ok, message };
}

/**
 * The sanity check of a suite instance as a result record (shown in reports).
 *
 * @example
 * ```ts
 * import { sanityResult } from "./sanity.ts";
 * import type { Case } from "../scenario/mod.ts";
 * declare const first: Case;
 * const result = await sanityResult(first, 11112);
 * ```
 */
export async function sanityResult(first: Case, port: number): Promise<CaseResult> {
  const began = performance.now();
  const verdict = await checkTarget({ host: first.sut.host, port });
  return {
    ...emptyResult(first, verdict.ok ? "passed" : "error", verdict.message),
    id: `${first.group}::sanity`,
    name: "sanity: the target answers TLS",
    settings: {},
    durationMs: Math.round(performance.now() - began),
  };
}
