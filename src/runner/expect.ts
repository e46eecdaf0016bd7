import type { DimseOperation, Outcome } from "../outcome/mod.ts";
import { type Expectation, type ExpectationPath, expectationPath } from "../scenario/mod.ts";
import { parseDuration } from "../scenario/mod.ts";
import { tlsAlert } from "../tls/alerts.ts";
import { profileByName } from "../profiles/registry.ts";
import type { ProfileVerdict } from "../profiles/types.ts";
import type { AssertionResult, CaseResult, CaseStatus } from "./result.ts";
import { CLIENT_CHECKS } from "./_inbound_checks.ts";

/** What a check may need beyond the Outcome: the target's profile verdicts. */
export interface CheckContext {
  /** The verdicts of the profiles the case expects, on its target (probed once per instance). */
  profiles?: readonly ProfileVerdict[];
}

type Check = (
  expected: unknown,
  outcome: Outcome,
  context: CheckContext,
) => { actual: unknown; ok: boolean; unknown?: string };

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const lower = (v: unknown) => String(v).toLowerCase();
const hex = (v: unknown) => String(v).replace(/[\s:\-]/g, "").toUpperCase();
const alertName = (v: unknown) => tlsAlert(String(v))?.name ?? String(v);

// Our A-ABORT (on the peer's protocol violation, or giving up) is no word of the peer's: an
// "aborted" it caused reads "aborted by us", and its source and reason are not the peer's.
const abortedByUs = (o: Outcome) => o.association?.abort?.by === "us";
const whoAborted = (value: string, o: Outcome) =>
  value === "aborted" && abortedByUs(o) ? "aborted by us" : value;
const peerAbort = (o: Outcome) => abortedByUs(o) ? undefined : o.association?.abort;

// "One or a list" means any of: the check holds when the actual value equals
// one of the expected ones (after `same` normalises both sides).
function anyOf(get: (o: Outcome) => unknown, same: (v: unknown) => unknown = (v) => v): Check {
  return (expected, outcome) => {
    const actual = get(outcome) ?? null;
    return { actual, ok: actual !== null && list(expected).some((e) => same(e) === same(actual)) };
  };
}

// Whether every operation of `command` succeeded (and there was one). A Warning status
// (e.g. 0xB000, Coercion of Data Elements: stored) is neither: the peer did what was asked,
// so it is no failure; `dimse: { status: warning }` is the expectation that holds.
function operation(command: DimseOperation["command"]): Check {
  return anyOf((o) => {
    const ops = o.dimse?.operations.filter((op) => op.command === command) ?? [];
    if (ops.length === 0 || ops.some((op) => !["success", "warning"].includes(op.category))) {
      return "failure";
    }
    return ops.some((op) => op.category === "warning") ? "warning" : "success";
  });
}

// With verify: none our verifier passes any certificate unchecked (unless it checked the host
// name): its "ok" says nothing of the peer, so neither a pass nor a failure rests on it.
function unlessUnchecked(check: Check): Check {
  return (expected, outcome, context) => {
    const v = outcome.tls?.verification;
    if (v?.method !== "none" || v.checkedHostname) return check(expected, outcome, context);
    const unknown =
      "verify is none, so the peer's certificate was not checked (give verify: chain or a thumbprint)";
    return { actual: null, ok: false, unknown };
  };
}

const hex16 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(4, "0")}`;

// Every response's status must be one of those expected: with several files, the last one's
// Success says nothing of a file the peer refused before it.
function dimseStatus(expected: unknown, outcome: Outcome) {
  const ops = outcome.dimse?.operations ?? [];
  if (ops.length === 0) return { actual: null, ok: false };
  const category = (op: DimseOperation) => whoAborted(op.category, outcome);
  const matches = (op: DimseOperation) =>
    list(expected).some((e) => {
      if (typeof e === "number") return e === op.status;
      const s = String(e).trim();
      if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16) === op.status;
      return lower(s) === category(op) || lower(s) === lower(op.statusName ?? "");
    });
  const shown = (op: DimseOperation) =>
    op.status === undefined ? category(op) : `${hex16(op.status)} ${op.statusName ?? op.category}`;
  const actual = ops.length === 1
    ? shown(ops[0])
    : ops.map((op) => `${shown(op)}${op.file ? ` (${op.file})` : ""}`).join(", ");
  return { actual, ok: ops.every(matches) };
}

/** How each expectation path is checked against the Outcome (keyed by every path there is). */
const CHECKS: Record<ExpectationPath, Check> = {
  tcp: anyOf((o) => o.tcp.status),
  echo: operation("C-ECHO"),
  store: operation("C-STORE"),
  "tls.status": (expected, o, context) => {
    const r = anyOf((o) => o.tls?.status)(expected, o, context);
    const tls = o.tls;
    // A close or reset before a byte is no evidence that the target does not speak TLS.
    if (!r.ok || tls?.status !== "not-tls" || tls.peerSent !== "nothing") return r;
    const unknown = `the target sent not a byte (${
      tls.error ?? "a close"
    }): no evidence that it does not speak TLS`;
    return { ...r, ok: false, unknown };
  },
  "tls.protocol": anyOf((o) => o.tls?.protocol),
  "tls.cipher": anyOf((o) => o.tls?.cipher, lower),
  "tls.group": anyOf((o) => o.tls?.group, lower),
  "tls.keyBits": (expected, o) => {
    const actual = o.tls?.keyBits ?? null;
    // A number is exact; ">=2048" is a floor.
    const ok = actual !== null && list(expected).some((e) => {
      const floor = /^\s*>=\s*(\d+)\s*$/.exec(String(e));
      return floor ? actual >= Number(floor[1]) : Number(e) === actual;
    });
    return { actual, ok };
  },
  "tls.stack": anyOf((o) => o.tls?.stack),
  alert: anyOf((o) => o.tls?.alert?.name, alertName),
  "verification.ok": unlessUnchecked(anyOf((o) => o.tls?.verification?.ok)),
  "verification.reasons": unlessUnchecked((expected, o) => {
    const actual = o.tls?.verification?.reasons ?? null;
    return { actual, ok: !!actual && list(expected).some((e) => actual.includes(e as never)) };
  }),
  // A conversation that ended before the association was never requested;
  // "requested" is any answer to an A-ASSOCIATE-RQ that was sent.
  association: (expected, o) => {
    const result = o.association?.result ?? "not-requested";
    const requested = result !== "not-requested";
    const actual = whoAborted(result, o);
    return {
      actual,
      ok: list(expected).some((e) => e === actual || (e === "requested" && requested)),
    };
  },
  reason: anyOf((o) => o.association?.reject?.reason ?? peerAbort(o)?.reason, lower),
  result: anyOf((o) => o.association?.reject?.result),
  source: anyOf((o) => o.association?.reject?.source ?? peerAbort(o)?.source),
  "dimse.status": dimseStatus,
  stage: anyOf((o) => o.stage),
  "peer.subject": (expected, o) => {
    const actual = o.tls?.peer?.subject ?? null;
    return {
      actual,
      ok: actual !== null && list(expected).some((e) => lower(actual).includes(lower(e))),
    };
  },
  "peer.sha1": anyOf((o) => o.tls?.peer?.sha1, hex),
  "peer.sha256": anyOf((o) => o.tls?.peer?.sha256, hex),
  ...CLIENT_CHECKS,
  profile: (expected, _o, context) => {
    const verdicts = list(expected).map((name) =>
      context.profiles?.find((v) => v.profile === profileByName(String(name))?.name)
    );
    // No verdict: no ClientHello came (inbound), or the target was never probed (not usable for
    // TLS): nothing the peer offered was judged, so the profile is neither met nor broken.
    if (verdicts.some((v) => v === undefined)) {
      return { actual: null, ok: false, unknown: "no TLS offer of the peer's to judge it on" };
    }
    const actual = verdicts.map((v) => {
      const why = [
        ...v!.violations,
        ...v!.requirements.filter((r) => r.status === "unknown")
          .flatMap((r) => r.findings),
      ];
      return `${v!.profile}: ${v!.verdict}${why.length ? ` (${why.join("; ")})` : ""}`;
    });
    const ok = verdicts.every((v) => v!.verdict === "compliant");
    // Undetermined is no verdict on the target (a hello found no valid answer): an error, not a failure.
    const unknown = !ok && !verdicts.some((v) => v!.verdict === "non-compliant")
      ? actual.join("; ")
      : undefined;
    return { actual, ok, ...(unknown ? { unknown } : {}) };
  },
  "duration.max": (expected, o) => ({
    actual: `${o.durationMs}ms`,
    ok: o.durationMs <= (parseDuration(expected) ?? -1),
  }),
  "duration.min": (expected, o) => ({
    actual: `${o.durationMs}ms`,
    ok: o.durationMs >= (parseDuration(expected) ?? Infinity),
  }),
};

/**
 * Checks a case's expectations against what happened. Only the keys the
 * scenario gives are checked; each result carries the path as written, the
 * expected value as written, the actual value from the Outcome (`null` when
 * the conversation never got that far) and where the expectation is written.
 * A `profile` expectation reads `context.profiles`: it holds when every
 * profile named is met by the target.
 *
 * @example
 * ```ts
 * import { evaluateExpectations } from "./expect.ts";
 * import type { Outcome } from "../outcome/mod.ts";
 * declare const outcome: Outcome;
 * const results = evaluateExpectations({
 *   checks: [{ path: "alert", expected: "unknown_ca", location: { file: "s.yaml", line: 3 } }],
 *   fails: false,
 * }, outcome);
 * results[0].ok;
 * ```
 */
export function evaluateExpectations(
  expect: Expectation,
  outcome: Outcome,
  context: CheckContext = {},
): AssertionResult[] {
  return expect.checks.map(({ path, expected, location }) => {
    const known = expectationPath(path);
    if (!known) throw new Error(`Cannot check expectation '${path}': no such check`);
    const check = CHECKS[known];
    const { actual, ok, unknown } = check(expected, outcome, context);
    return { path, expected, actual, ok, ...(unknown ? { unknown } : {}), location };
  });
}

/**
 * The status of a case from its assertions, by the xfail rule: a case marked
 * `fails: true` that fails is an expected-failure; one that passes is a
 * failure (the known bug is gone: remove the mark). An expectation the
 * Outcome cannot decide (`unknown`) makes the case an error, unless another
 * one failed for certain.
 *
 * @example
 * ```ts
 * import { caseStatus } from "./expect.ts";
 * caseStatus([{ path: "echo", expected: "success", actual: "failure", ok: false }], { fails: true });
 * // "expected-failure"
 * ```
 */
export function caseStatus(
  assertions: readonly AssertionResult[],
  options: { fails: boolean },
): Extract<CaseStatus, "passed" | "failed" | "expected-failure" | "error"> {
  const failed = assertions.some((a) => !a.ok && a.unknown === undefined);
  if (!failed && assertions.some((a) => a.unknown !== undefined)) return "error";
  const held = assertions.every((a) => a.ok);
  if (options.fails) return held ? "failed" : "expected-failure";
  return held ? "passed" : "failed";
}

/**
 * The verdict on one conversation: each expectation checked, the case's
 * status by the xfail rule, the one-line reason, and the profile verdicts
 * the checks were given.
 *
 * @example
 * ```ts
 * import { judgeOutcome } from "./expect.ts";
 * import type { Expectation } from "../scenario/mod.ts";
 * import type { Outcome } from "../outcome/mod.ts";
 * declare const expect: Expectation;
 * declare const outcome: Outcome;
 * const { status, message, assertions } = judgeOutcome(expect, outcome);
 * ```
 */
export function judgeOutcome(
  expect: Expectation,
  outcome: Outcome,
  context: CheckContext = {},
): Pick<CaseResult, "status" | "message" | "assertions" | "profiles"> {
  const assertions = evaluateExpectations(expect, outcome, context);
  return {
    ...(context.profiles ? { profiles: [...context.profiles] } : {}),
    status: caseStatus(assertions, { fails: expect.fails }),
    message: caseMessage(assertions, { fails: expect.fails, outcome }),
    assertions,
  };
}

// A value as the message shows it: a list "a or b" ("none" when empty, as a
// verifier that found no reason gives), a DIMSE status code in hex as PS3.7 writes it.
const show = (v: unknown, path?: string) => {
  const items = list(v);
  if (items.length === 0) return "none";
  return items.map((x) =>
    typeof x === "string"
      ? x
      : path === "dimse.status" && typeof x === "number" && Number.isInteger(x)
      ? hex16(x)
      : JSON.stringify(x)
  ).join(" or ");
};

/**
 * A one-line reason for a case's status, for reports: each failed assertion
 * as "expected X, got Y", followed by where the conversation ended.
 *
 * @example
 * ```ts
 * import { caseMessage } from "./expect.ts";
 * import type { AssertionResult } from "./result.ts";
 * import type { Outcome } from "../outcome/mod.ts";
 * declare const assertions: AssertionResult[];
 * declare const outcome: Outcome;
 * caseMessage(assertions, { fails: false, outcome });
 * // "expected alert certificate_expired or bad_certificate, got unknown_ca (ended at tls: refused-by-peer, alert unknown_ca)"
 * ```
 */
export function caseMessage(
  assertions: readonly AssertionResult[],
  options: { fails: boolean; outcome?: Outcome },
): string | undefined {
  const failed = assertions.filter((a) => !a.ok);
  if (options.fails && failed.length === 0) {
    return "marked fails: true, but every expectation held: remove the mark";
  }
  if (failed.length === 0) return undefined;
  const text = failed.map((a) =>
    a.unknown !== undefined
      ? `cannot judge ${a.path} ${show(a.expected, a.path)}: ${a.unknown}`
      : `expected ${a.path} ${show(a.expected, a.path)}, got ${
        a.actual === null ? "nothing" : show(a.actual)
      }`
  )
    .join("; ");
  const o = options.outcome;
  return o ? `${text} (ended at ${endedAt(o)})` : text;
}

/** Where a conversation ended, briefly: "tls: refused-by-peer, alert unknown_ca". */
function endedAt(o: Outcome): string {
  switch (o.stage) {
    case "tcp":
      return `tcp: ${o.tcp.status}${o.tcp.error ? `, ${o.tcp.error}` : ""}`;
    case "tls": {
      const t = o.tls;
      const why = t?.alert
        ? `, alert ${t.alert.name}`
        : t?.verification && !t.verification.ok
        ? `, ${t.verification.reasons.join(", ")}`
        : t?.closedWithoutAlert
        ? ", closed without alert"
        : (t?.status === "not-tls" || t?.status === "error") && t.error
        ? `, ${t.error}`
        : "";
      return `tls: ${t?.status ?? "not reached"}${why}`;
    }
    case "association": {
      const a = o.association;
      const why = a?.reject?.reason ?? a?.abort?.reason;
      // Our A-ABORT on giving up leaves the result as it was: "timeout, aborted by us".
      const by = abortedByUs(o) ? `${a?.result === "aborted" ? "" : ", aborted"} by us` : "";
      return `association: ${a?.result ?? "not requested"}${by}${why ? `, ${why}` : ""}`;
    }
    default: {
      const last = o.dimse?.operations.at(-1);
      const a = o.association;
      // A release that never completed: the A-RELEASE-RP never came (we then aborted), or the
      // peer closed or aborted instead.
      const release = o.stage === "release" && a?.released === false
        ? `, A-RELEASE not completed${
          a.abort ? `, aborted by ${a.abort.by === "us" ? "us" : "the peer"}` : ""
        }`
        : "";
      return `${o.stage}${
        last ? `: ${last.command} ${last.statusName ?? last.category}` : ""
      }${release}`;
    }
  }
}
