import type { TlsOutcome } from "../outcome/mod.ts";
import type { Case } from "../scenario/mod.ts";
import { connectPlain, connectTls } from "../tls/mod.ts";
import type { CaseResult } from "./result.ts";
import { emptyResult } from "./_case.ts";
import { hostPort } from "../text/mod.ts";

/** What a sanity check found: whether the target answers TLS, in words. */
export interface SanityVerdict {
  /** Whether the target accepted TCP and answered TLS (a handshake or a refusal). */
  ok: boolean;
  /** What was seen, e.g. "TLS TLSv1.3 answered at 127.0.0.1:11112". */
  message: string;
  /** Set when the check was abandoned because the run was stopped: no verdict on the target. */
  interrupted?: true;
}

/** How long a check waits and when it gives up. */
export interface SanityOptions {
  /** Deadline of TCP connect plus handshake; default 5 s (the run gives the case timeout). */
  timeoutMs?: number;
  /** Aborting it (the run's deadline, Ctrl-C) abandons the check at once. */
  signal?: AbortSignal;
}

const DEFAULT_SANITY_TIMEOUT_MS = 5000;

/**
 * `check`, abandoned as soon as `signal` aborts: the verdict then says the
 * run was stopped. The abandoned connection still ends by its own timeout
 * (and closes its socket); nothing waits for it.
 */
async function unlessStopped(
  check: Promise<SanityVerdict>,
  at: string,
  signal: AbortSignal | undefined,
): Promise<SanityVerdict> {
  const stopped: SanityVerdict = {
    ok: false,
    interrupted: true,
    message: `the run was stopped before ${at} answered the sanity check`,
  };
  if (!signal) return await check;
  if (signal.aborted) return stopped;
  let onAbort = () => {};
  const aborted = new Promise<SanityVerdict>((resolve) => {
    onAbort = () => resolve(stopped);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([check, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * The dead-target check (tlsfuzzer's "sanity" conversation), run before a
 * suite's cases and again when a case does not reach the target. It cannot
 * be fooled by a port that merely accepts TCP: it passes only when the
 * target completed a TLS handshake or refused with evidence of TLS (at
 * least one TLS record). Silence, a close without a byte, or bytes that are
 * not TLS (a DICOM PDU, HTTP) fail it, saying what came.
 *
 * @example
 * ```ts
 * import { checkTarget } from "./sanity.ts";
 * const verdict = await checkTarget({ host: "127.0.0.1", port: 11112 });
 * console.log(verdict.ok, verdict.message);
 * // false "127.0.0.1:11112 does not speak TLS: it answered with a DICOM A-ABORT (...) (plain DICOM port?)"
 * ```
 */
export function checkTarget(
  target: { host: string; port: number },
  options: SanityOptions = {},
): Promise<SanityVerdict> {
  const at = hostPort(target);
  return unlessStopped(checkTls(target, options.timeoutMs), at, options.signal);
}

async function checkTls(
  target: { host: string; port: number },
  timeoutMs = DEFAULT_SANITY_TIMEOUT_MS,
): Promise<SanityVerdict> {
  const { host, port } = target;
  const at = hostPort(target);
  const c = await connectTls({ host, port, timeoutMs });
  if (c.ok) c.socket.destroy();
  if (c.tcp.status !== "connected") {
    return {
      ok: false,
      message: `TCP ${c.tcp.status} at ${at}${c.tcp.error ? ` (${c.tcp.error})` : ""}`,
    };
  }
  if (c.ok) return { ok: true, message: `TLS ${c.tls.protocol} answered at ${at}` };
  const tls = c.tls!;
  if (c.wire?.().peerSpokeTls) {
    return {
      ok: true,
      message: `TLS answered at ${at}: ${tls.status}${tls.error ? ` (${tls.error})` : ""}`,
    };
  }
  if (tls.status === "not-tls") {
    const kind = tls.firstBytes?.kind;
    const hint = kind === "dicom-pdu"
      ? " (plain DICOM port?)"
      : kind === "http"
      ? " (an HTTP port?)"
      : tls.peerSent === "nothing"
      ? " (a plain port, or a proxy whose backend is down?)"
      : "";
    return { ok: false, message: `${at} does not speak TLS: ${notTlsWords(tls)}${hint}` };
  }
  return {
    ok: false,
    message: `${at} does not answer TLS: ${tls.status}${tls.error ? ` (${tls.error})` : ""}`,
  };
}

/**
 * The check of a target that failed its TLS sanity check (its transport
 * cases still run): whether it still accepts TCP.
 *
 * @example
 * ```ts
 * import { checkTcp } from "./sanity.ts";
 * (await checkTcp({ host: "127.0.0.1", port: 11112 })).ok; // false: nothing listens
 * ```
 */
export function checkTcp(
  target: { host: string; port: number },
  options: SanityOptions = {},
): Promise<SanityVerdict> {
  const at = hostPort(target);
  const check = async (): Promise<SanityVerdict> => {
    const timeoutMs = options.timeoutMs ?? DEFAULT_SANITY_TIMEOUT_MS;
    const c = await connectPlain({ ...target, timeoutMs });
    c.socket?.destroy();
    return c.tcp.status === "connected" ? { ok: true, message: `TCP connected at ${at}` } : {
      ok: false,
      message: `TCP ${c.tcp.status} at ${at}${c.tcp.error ? ` (${c.tcp.error})` : ""}`,
    };
  };
  return unlessStopped(check(), at, options.signal);
}

// "it answered with a DICOM A-ABORT (...)" / "it closed the connection without sending a byte".
function notTlsWords(tls: TlsOutcome): string {
  if (tls.peerSent === "nothing") {
    return (tls.error ?? "").replace(/^the peer /, "it ").replace(/: no TLS server answered$/, "");
  }
  return `it answered with ${tls.firstBytes?.description ?? "bytes that are not TLS"}`;
}

/**
 * The sanity check of a suite instance as a result record (shown in reports):
 * `passed`, `error`, or `interrupted` when `options.signal` stopped it.
 *
 * @example
 * ```ts
 * import { sanityResult } from "./sanity.ts";
 * import type { Case } from "../scenario/mod.ts";
 * declare const first: Case;
 * const result = await sanityResult(first, 11112, { timeoutMs: first.timeoutMs });
 * ```
 */
export async function sanityResult(
  first: Case,
  port: number,
  options: SanityOptions = {},
): Promise<CaseResult> {
  const began = performance.now();
  const verdict = await checkTarget({ host: first.sut.host, port }, options);
  const status = verdict.ok ? "passed" : verdict.interrupted ? "interrupted" : "error";
  // The first case's description is not the sanity case's.
  const { description: _, ...base } = emptyResult(first, status, verdict.message);
  return {
    ...base,
    id: `${first.group}::sanity`,
    name: "sanity: the target answers TLS",
    settings: {},
    durationMs: Math.round(performance.now() - began),
  };
}
