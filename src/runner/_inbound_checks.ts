import type { ClientHelloInfo, Outcome } from "../outcome/mod.ts";
import { cipherSuite } from "../tls/wire/mod.ts";

type Check = (
  expected: unknown,
  outcome: Outcome,
) => { actual: unknown; ok: boolean; unknown?: string };

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const ORDER = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
const rank = (v: unknown) => ORDER.indexOf(String(v));
const suiteName = (v: unknown) => cipherSuite(String(v))?.iana ?? String(v).toUpperCase();
const command = (v: unknown) => String(v).toUpperCase().replace(/-RQ$/, "");

// The client's hello: the SUT's (inbound), or ours as the wire saw it (outbound).
const helloOf = (o: Outcome): ClientHelloInfo | undefined => o.clientHello ?? o.wire?.clientHello;

/**
 * The checks of what a client offered and did (inbound cases ask them of
 * the SUT): its client certificate, its ClientHello's versions, suites and
 * SNI, the DIMSE requests it made.
 */
export const CLIENT_CHECKS: Record<
  | "clientCertificate"
  | "clientHello.versions"
  | "clientHello.offers"
  | "clientHello.sni"
  | "dimse.requested",
  Check
> = {
  clientCertificate: (expected, o) => {
    const ours = o.tls?.clientCertificate;
    const actual = o.clientCertificate ??
      (ours === undefined ? null : ours ? "presented" : "none");
    return { actual, ok: actual !== null && list(expected).includes(actual) };
  },
  "clientHello.versions": (expected, o) => {
    const hello = helloOf(o);
    if (!hello) return { actual: null, ok: false };
    const offered = hello.offeredVersions;
    const actual = hello.olderVersionsUnknown
      ? `${offered.join(", ")} (older versions not known)`
      : offered.join(", ");
    const range = expected && typeof expected === "object" && !Array.isArray(expected);
    const { min, max } = range ? expected as { min?: string; max?: string } : {};
    const want = list(expected).map(String);
    const ok = range
      ? offered.every((v) =>
        (min === undefined || rank(v) >= rank(min)) && (max === undefined || rank(v) <= rank(max))
      )
      : want.length === offered.length && want.every((v) => offered.includes(v));
    // Without supported_versions a hello shows its newest version only: a lower bound, or an exact
    // list, is judged only when that newest version already breaks it (or a listed one is newer).
    const newest = rank(offered.at(-1));
    const needsOlder = range
      ? min !== undefined && offered.every((v) => max === undefined || rank(v) <= rank(max))
      : want.every((v) => rank(v) <= newest) && want.some((v) => rank(v) === newest);
    if (hello.olderVersionsUnknown && needsOlder && (ok || !range)) {
      return {
        actual,
        ok: false,
        unknown: "not known from a hello without supported_versions: it names only its newest " +
          `version (${offered.join(", ") || "none"}), not the older ones it would take`,
      };
    }
    return { actual, ok };
  },
  "clientHello.offers": (expected, o) => {
    const offered = helloOf(o)?.cipherSuites.filter((s) => !s.grease).map((s) => s.name);
    if (!offered) return { actual: null, ok: false };
    const ok = list(expected).some((e) => offered.includes(suiteName(e)));
    return { actual: offered.join(", "), ok };
  },
  "clientHello.sni": (expected, o) => {
    const hello = helloOf(o);
    const actual = hello ? hello.serverName ?? "none" : null;
    const ok = actual !== null &&
      list(expected).some((e) => String(e).toLowerCase() === actual.toLowerCase());
    return { actual, ok };
  },
  "dimse.requested": (expected, o) => {
    const actual = o.dimse?.requests?.map((r) => r.command) ?? null;
    return { actual, ok: !!actual && list(expected).some((e) => actual.includes(command(e))) };
  },
};
