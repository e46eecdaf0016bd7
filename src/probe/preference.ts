import type { ProtocolVersionName } from "../tls/wire/mod.ts";
import { _chose, _decided, _hello, _helloFor } from "./_hellos.ts";
import type { AcceptedSuite, SuitePreference } from "./report.ts";
import type { HelloScheduler } from "./scheduler.ts";

/**
 * Whose order decides the suite in `version`: the accepted suites offered
 * in one order and then reversed. The client's first both times is
 * "client"; the same suite both times is "server", and then the server's
 * whole order is read by offering what is left after each choice.
 *
 * @example
 * ```ts
 * import { HelloScheduler } from "./scheduler.ts";
 * import { probePreference } from "./preference.ts";
 * import type { AcceptedSuite } from "./report.ts";
 * declare const accepted: AcceptedSuite[];
 * const scheduler = new HelloScheduler({ host: "127.0.0.1", port: 2762 });
 * const p = await probePreference(scheduler, "TLSv1.2", accepted);
 * console.log(p.order, p.serverOrder);
 * ```
 */
export async function probePreference(
  scheduler: HelloScheduler,
  version: ProtocolVersionName,
  accepted: readonly AcceptedSuite[],
): Promise<SuitePreference> {
  const codes = accepted.map((s) => s.code);
  const chosen = (suites: number[]) => choose(scheduler, version, suites);
  const [first, reversed] = await Promise.all([chosen(codes), chosen([...codes].reverse())]);
  if (first === undefined || reversed === undefined) return { order: "unknown" };
  if (first === codes[0] && reversed === codes.at(-1)) return { order: "client" };
  if (first !== reversed) return { order: "mixed" };
  const order = [first];
  let left = codes.filter((c) => c !== first);
  while (left.length > 1) {
    const next = await chosen(left);
    if (next === undefined || !left.includes(next)) return { order: "server" };
    order.push(next);
    left = left.filter((c) => c !== next);
  }
  order.push(...left);
  const name = new Map(accepted.map((s) => [s.code, s.name]));
  return { order: "server", serverOrder: order.map((c) => name.get(c)!) };
}

async function choose(
  scheduler: HelloScheduler,
  version: ProtocolVersionName,
  suites: number[],
): Promise<number | undefined> {
  const answer = await scheduler.send(_helloFor(version, { suites }));
  return _chose(answer, version)?.cipherSuite.code;
}

/**
 * Whether the server chooses TLS 1.3 when a client offers TLS 1.3 and 1.2
 * (PS3.15 B.12: "Servers shall prefer TLS 1.3 if offered by the client";
 * RFC 9325 3.1.1): one hello listing 1.3 first and one listing 1.2 first,
 * each with the suites accepted in both versions. True only when both
 * chose TLS 1.3; undefined when either found no answer.
 *
 * @example
 * ```ts
 * import { HelloScheduler } from "./scheduler.ts";
 * import { probePrefersTls13 } from "./preference.ts";
 * declare const tls12: number[];
 * declare const tls13: number[];
 * const scheduler = new HelloScheduler({ host: "127.0.0.1", port: 2762 });
 * await probePrefersTls13(scheduler, { tls12, tls13 }); // true
 * ```
 */
export async function probePrefersTls13(
  scheduler: HelloScheduler,
  suites: { tls12: readonly number[]; tls13: readonly number[] },
): Promise<boolean | undefined> {
  const cipherSuites = [...suites.tls13, ...suites.tls12];
  const ask = (versions: string[]) =>
    scheduler.send({
      version: "TLSv1.2",
      versions,
      cipherSuites,
      keyShares: ["x25519", "secp256r1"],
    });
  const answers = await Promise.all([ask(["TLSv1.3", "TLSv1.2"]), ask(["TLSv1.2", "TLSv1.3"])]);
  if (answers.some((a) => typeof _decided(a) === "string")) return undefined;
  return answers.every((a) => _hello(a)?.version.name === "TLSv1.3");
}
