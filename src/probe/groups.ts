import { namedGroup, type ProtocolVersionName } from "../tls/wire/mod.ts";
import { _decided, _hello, _helloFor, _NO_SKE, _probeEach } from "./_hellos.ts";
import type { NamedProbe } from "./report.ts";
import type { HelloScheduler } from "./scheduler.ts";

// Code ranges of the named group table (RFC 8422, RFC 7919, RFC 8446, GOST, SM2, ML-KEM).
const GROUP_RANGES: [number, number][] = [
  [0x0001, 0x0029],
  [0x0100, 0x0104],
  [0x0200, 0x0202],
  [0x11eb, 0x11ee],
  [0x6399, 0x6399],
];
// Groups a TLS 1.3 client can send a real key share for (src/tls/wire/_key_shares.ts).
const KEY_SHARES = new Set([0x0017, 0x0018, 0x0019, 0x001d, 0x001e, 0x0100, 0x0101, 0x0102]);

/**
 * Every named group the name table knows, by code.
 *
 * @example
 * ```ts
 * import { KNOWN_GROUPS } from "./groups.ts";
 * KNOWN_GROUPS.some((g) => g.name === "x25519"); // true
 * ```
 */
export const KNOWN_GROUPS: readonly { code: number; name: string }[] = GROUP_RANGES.flatMap((
  [from, to],
) => Array.from({ length: to - from + 1 }, (_, i) => namedGroup(from + i)))
  .filter((g) => g !== undefined);

/**
 * The strength of a group in key bits, as PS3.15 counts "key length" for
 * DHE and ECDHE: the prime or field size (ffdhe2048: 2048, secp256r1:
 * 256), with X25519 as 256 and X448 as 448 (their 128- and 224-bit
 * security levels match P-256 and P-448 class curves). Undefined for
 * post-quantum hybrids, which are not DHE or ECDHE.
 *
 * @example
 * ```ts
 * import { groupBits } from "./groups.ts";
 * groupBits("secp384r1"); // 384
 * groupBits("ffdhe3072"); // 3072
 * groupBits("x25519"); // 256
 * ```
 */
export function groupBits(name: string): number | undefined {
  if (name === "x25519") return 256;
  if (name === "x448") return 448;
  if (/mlkem|kyber/i.test(name)) return undefined;
  if (name === "curveSM2") return 256;
  const digits = /(\d{3,4})/.exec(name)?.[1];
  return digits ? Number(digits) : undefined;
}

/**
 * The groups a TLS 1.3 server accepts, one per hello: offered alone (with a
 * real key share when one can be made, else an empty key_share that a
 * server answers with a HelloRetryRequest for the group). Accepted when the
 * server's ServerHello or HelloRetryRequest names that group.
 *
 * @example
 * ```ts
 * import { HelloScheduler } from "./scheduler.ts";
 * import { probeTls13Groups } from "./groups.ts";
 * const scheduler = new HelloScheduler({ host: "127.0.0.1", port: 2762 });
 * const g = await probeTls13Groups(scheduler, [0x1301]);
 * console.log(g.accepted); // ["secp256r1", "secp384r1", "x25519", ...]
 * ```
 */
export function probeTls13Groups(
  scheduler: HelloScheduler,
  suites: readonly number[],
): Promise<NamedProbe> {
  return _probeEach("TLSv1.3", KNOWN_GROUPS, async (group) => {
    const hello = _helloFor("TLSv1.3", {
      suites,
      groups: [group],
      keyShares: KEY_SHARES.has(group) ? [group] : [],
    });
    const answer = await scheduler.send(hello);
    const decided = _decided(answer);
    if (typeof decided === "string") return decided;
    const r = _hello(answer);
    return r?.version.name === "TLSv1.3" && r.selectedGroup?.code === group;
  });
}

/**
 * The elliptic curves a TLS <= 1.2 server uses for ECDHE, one per hello:
 * its accepted ECDHE suites offered with only that curve in
 * supported_groups; accepted when its ServerKeyExchange names the curve,
 * unknown when a ServerHello came without a ServerKeyExchange.
 *
 * @example
 * ```ts
 * import { HelloScheduler } from "./scheduler.ts";
 * import { probeEcdheGroups } from "./groups.ts";
 * const scheduler = new HelloScheduler({ host: "127.0.0.1", port: 2762 });
 * const g = await probeEcdheGroups(scheduler, "TLSv1.2", [0xc02f]);
 * console.log(g.accepted);
 * ```
 */
export function probeEcdheGroups(
  scheduler: HelloScheduler,
  version: ProtocolVersionName,
  ecdheSuites: readonly number[],
): Promise<NamedProbe> {
  const curves = KNOWN_GROUPS.filter((g) => g.code < 0x0100);
  return _probeEach(version, curves, async (group) => {
    const hello = _helloFor(version, { suites: ecdheSuites, groups: [group] });
    const answer = await scheduler.send(hello, { untilServerHelloDone: true });
    const r = _decided(answer);
    if (typeof r === "string") return r;
    if (r.serverHello?.version.name !== version) return false;
    const ske = r.observation.serverKeyExchange;
    // A ServerHello alone says nothing of the curve, only its ServerKeyExchange does:
    // after it an alert refuses, a close or a stall tells nothing.
    if (!ske) return r.alert ? false : _NO_SKE;
    return ske.kind === "ecdhe" && ske.group?.code === group;
  });
}
