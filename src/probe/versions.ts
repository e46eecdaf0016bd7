import type { ProtocolVersionName } from "../tls/wire/mod.ts";
import { _acceptance, _describe, _versionHello } from "./_hellos.ts";
import type { Acceptance } from "./report.ts";
import type { HelloAnswer, HelloScheduler } from "./scheduler.ts";

/** What one version probe found. */
export interface VersionAnswer {
  /** The protocol version asked. */
  version: ProtocolVersionName;
  /** Whether it was accepted. */
  status: Acceptance;
  /** The server's answer in a few words, e.g. "alert protocol_version". */
  answer: string;
  /** The raw answer, for what else it shows (TLS at all, first bytes). */
  raw: HelloAnswer;
}

/**
 * Whether the server accepts one protocol version: a hello offering only
 * that version and every suite valid in it. Accepted means a ServerHello
 * (or HelloRetryRequest) for exactly that version; a server that answers
 * with an older version refuses the one asked for. No answer, or one that
 * is not TLS or no valid answer to the hello, is "unknown". `retryTimeouts`
 * as in {@linkcode HelloScheduler.send}.
 *
 * @example
 * ```ts
 * import { HelloScheduler } from "./scheduler.ts";
 * import { probeVersion } from "./versions.ts";
 * const scheduler = new HelloScheduler({ host: "127.0.0.1", port: 2762 });
 * const v = await probeVersion(scheduler, "TLSv1");
 * console.log(v.status, v.answer); // "refused" "alert protocol_version"
 * ```
 */
export async function probeVersion(
  scheduler: HelloScheduler,
  version: ProtocolVersionName,
  options: { retryTimeouts?: boolean } = {},
): Promise<VersionAnswer> {
  const raw = await scheduler.send(_versionHello(version), options);
  return { version, status: _acceptance(raw, version), answer: _describe(raw), raw };
}
