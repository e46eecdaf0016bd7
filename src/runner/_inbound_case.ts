import { describeTrigger, type InboundResult, runInbound } from "../inbound/mod.ts";
import type { Outcome } from "../outcome/mod.ts";
import { evaluateClientHello, profileByName, type ProfileVerdict } from "../profiles/mod.ts";
import type { Case } from "../scenario/mod.ts";
import { SecurityLoader } from "../security/mod.ts";
import { terminalSafe } from "../text/mod.ts";
import { caseErrorMessage, emptyResult, judged } from "./_case.ts";
import type { InstanceRun, runCases } from "./_instance.ts";
import { aboutTransport } from "./_about_transport.ts";
import { caseSettings } from "./harness.ts";
import type { CaseResult, SuiteResult } from "./result.ts";

/** Past its timeout, a case is given this long to end before we call it our bug. */
const GUARD_MS = 5000;

interface Shared {
  run: InstanceRun;
  loader: SecurityLoader;
  sanities: { c: Case; sanity: InboundResult["sanity"] }[];
}

/**
 * Runs the cases of an inbound suite instance (the SUT is an SCU): each on
 * its own listener, concurrently when every case takes a free port and no
 * operator triggers it, one at a time otherwise. The suite's sanity record
 * sums up each case's own sanity handshake.
 */
export async function runInboundCases(
  run: InstanceRun,
  o: { runCases: typeof runCases },
): Promise<Pick<SuiteResult, "cases" | "sanity">> {
  const shared: Shared = { run, loader: new SecurityLoader(), sanities: [] };
  const oneAtATime = run.cases.some((c) =>
    c.inbound && (c.inbound.port !== 0 || c.inbound.trigger.kind === "manual")
  );
  const cases = await o.runCases(run, {
    ...(oneAtATime ? { limit: 1 } : {}),
    runOne: (c) => runInboundCase(c, shared),
  });
  return { cases, ...suiteSanity(run, shared.sanities) };
}

async function runInboundCase(c: Case, s: Shared): Promise<CaseResult> {
  if (c.skip !== undefined) return emptyResult(c, "skipped", c.skip);
  const { run } = s;
  const startedAt = new Date().toISOString();
  const began = performance.now();
  const base = { ...emptyResult(c, "error"), startedAt, settings: inboundSettings(c) };
  const took = () => Math.round(performance.now() - began);
  const inbound = c.inbound!;
  const timeoutMs = run.options.caseTimeoutMs ?? c.timeoutMs;
  try {
    const work = runInbound({
      host: inbound.host,
      port: inbound.port,
      ae: c.harness.callingAe,
      acceptCalling: [c.sut.ae],
      security: c.harness.security,
      trigger: inbound.trigger,
      timeoutMs,
      signal: run.stop,
      loader: s.loader,
      onManual: (text) =>
        (run.options.onNotice ?? ((t) => console.error(terminalSafe(t))))(
          `${c.name}: ${text}`,
        ),
    });
    const r = await guarded(work, timeoutMs + GUARD_MS);
    if (!r) {
      return {
        ...base,
        message: `the case did not end within ${timeoutMs + GUARD_MS} ms (a dicomtls bug)`,
      };
    }
    s.sanities.push({ c, sanity: r.sanity });
    const outcome = r.outcome;
    // A case that expects `tcp:` (e.g. `tcp: timeout`: the SUT must not connect) is judged
    // on a connection that never came, and on connections without a byte when `tcp:` is all it
    // expects; any other case cannot judge a SUT that never came, or never said a word.
    const onTcp = c.expect.checks.some((k) => k.path === "tcp") &&
      (r.problem?.kind === "no-connection" ||
        (r.problem?.kind === "said-nothing" && c.expect.checks.every((k) => k.path === "tcp")));
    if (r.problem && !onTcp) {
      const status = r.problem.kind === "interrupted" ? "interrupted" : "error";
      return { ...base, status, message: r.problem.message, outcome, durationMs: took() };
    }
    const noHello = noClientHello(c, outcome);
    if (noHello) return { ...base, message: noHello, outcome, durationMs: took() };
    const profiles = clientProfiles(c, outcome);
    return judged(base, { c, outcome, profiles, durationMs: took() });
  } catch (e) {
    return { ...base, message: caseErrorMessage(e), durationMs: took() };
  }
}

/**
 * `expect: { profile: NAME }` of an inbound case: each profile's verdict on
 * the SUT's ClientHello (what a client offers is all a profile can judge of
 * it); none without a ClientHello, which fails the expectation.
 */
function clientProfiles(c: Case, outcome: Outcome): ProfileVerdict[] | undefined {
  const wanted = c.expect.checks.find((k) => k.path === "profile");
  const hello = outcome.clientHello;
  if (!wanted || !hello) return undefined;
  return [wanted.expected].flat().flatMap((name) => {
    const profile = profileByName(String(name));
    return profile ? [evaluateClientHello(hello, profile)] : [];
  });
}

/**
 * A case that expects a `profile` of a SUT that sent no ClientHello (plain
 * DICOM to our TLS port) cannot judge it, as an outbound case cannot judge
 * a target that does not speak TLS ("target not usable"): an error, unless
 * the case is about the transport (`tls: not-tls`, `tcp:`).
 */
function noClientHello(c: Case, outcome: Outcome): string | undefined {
  if (outcome.clientHello || aboutTransport(c)) return undefined;
  if (!c.expect.checks.some((k) => k.path === "profile")) return undefined;
  return `the SUT sent no ClientHello to judge a profile on (tls: ${
    outcome.tls?.status ?? "not reached"
  }${
    outcome.tls?.error ? `, ${outcome.tls.error}` : ""
  }): expect tls: not-tls to judge a SUT that does not speak TLS`;
}

async function guarded<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((
    resolve,
  ) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What an inbound case did, for reports: our certificate, verification, listener, trigger. */
function inboundSettings(c: Case): Record<string, unknown> {
  const { operation: _o, calledAe: _c, callingAe, checkHostname: _h, ...rest } = caseSettings(c);
  const i = c.inbound!;
  return {
    role: "scu",
    ae: callingAe,
    acceptCalling: c.sut.ae,
    ...rest,
    listen: `${i.host}:${i.port === 0 ? "a free port" : i.port}`,
    trigger: describeTrigger(i.trigger),
  };
}

function suiteSanity(
  run: InstanceRun,
  sanities: Shared["sanities"],
): Pick<SuiteResult, "sanity" | "error"> {
  if (sanities.length === 0) return {};
  const failed = sanities.find((s) => !s.sanity.ok);
  const first = run.cases[0];
  const message = failed
    ? `case '${failed.c.name}': ${failed.sanity.message}`
    : `our listener completed a TLS handshake with our own client before each of ${sanities.length} case(s)`;
  // The first case's description is not the sanity case's.
  const { description: _, ...base } = emptyResult(first, failed ? "error" : "passed", message);
  return {
    sanity: {
      ...base,
      id: `${first.group}::sanity`,
      name: "sanity: our listener completes a TLS handshake with our own client",
      settings: {},
    },
    ...(failed ? { error: `sanity check failed: ${message}` } : {}),
  };
}
