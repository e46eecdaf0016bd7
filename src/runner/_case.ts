import { runScu } from "../scu/mod.ts";
import type { Outcome } from "../outcome/mod.ts";
import type { Case } from "../scenario/mod.ts";
import { InputError } from "../yaml/mod.ts";
import { judgeOutcome } from "./expect.ts";
import type { ProfileVerdict } from "../profiles/mod.ts";
import { caseSettings, type HarnessFiles } from "./harness.ts";
import type { CaseResult } from "./result.ts";
import type { TargetWatch } from "./target_watch.ts";
import { endedAfterHandshake, saidNothing, whyUnanswered } from "./unanswered.ts";
import type { TargetProfiles } from "./profile_check.ts";

/** What one case needs from its run. */
export interface CaseRun {
  harness: HarnessFiles;
  port: number;
  /** Overrides the case's timeout. */
  caseTimeoutMs?: number;
  stop: AbortSignal;
  watch: TargetWatch;
  /** The instance's profile checks: the target probed once, for the cases that expect a profile. */
  profiles?: TargetProfiles;
}

/**
 * Runs one case against its target and checks its expectations. A case
 * whose conversation never reached the target (TCP refused or timed out),
 * or that the target left without a word while it was dying, is an error,
 * unless it expects something about TCP itself: "echo: failure" is never a
 * verdict on a target that was not there; `tcp:` with other expectations
 * exempts only the TCP stage. Against a target only known to
 * accept TCP (it failed its TLS sanity check), a conversation in which it
 * sent not one byte is an error too: a mute port passes that re-check, so
 * silence there is no answer.
 */
export async function runCase(c: Case, run: CaseRun): Promise<CaseResult> {
  if (c.skip !== undefined) return emptyResult(c, "skipped", c.skip);
  const gone = run.watch.gone;
  if (gone) return notRun(c, "error", `not run: ${gone.message}`);
  const startedAt = new Date().toISOString();
  const began = performance.now();
  const base = { ...emptyResult(c, "error"), startedAt };
  const took = () => Math.round(performance.now() - began);
  try {
    const options = await run.harness.scuOptions(c, { port: run.port });
    if (run.caseTimeoutMs !== undefined) options.timeoutMs = run.caseTimeoutMs;
    // runScu has its own deadline; this one guards against our own bugs, and Ctrl-C.
    const guard = options.timeoutMs + 2000;
    const outcome = await raceAbort(runScu(options), run.stop, guard);
    if (outcome === "interrupted") {
      return { ...base, status: "interrupted", message: "the run was stopped during this case" };
    }
    if (outcome === "timeout") {
      return { ...base, message: `the case did not end within ${guard} ms (a dicomtls bug)` };
    }
    // `tcp:` is a fact of its own: it makes a connection that never happened a verdict, and is
    // the verdict on a silent one when it is all the case expects; anything else it expects
    // after the connection still needs the target's answer.
    const onTcp = c.expect.checks.some((k) => k.path === "tcp") &&
      (outcome.tcp.status !== "connected" || c.expect.checks.every((k) => k.path === "tcp"));
    const unanswered = onTcp ? undefined : whyUnanswered(outcome);
    if (unanswered) {
      // Why this case is no verdict (the target gone, or no trusted case to tell): or nothing.
      const noVerdict = await run.watch.recheck(c, unanswered, {
        afterHandshake: endedAfterHandshake(outcome),
      });
      const message = noVerdict ??
        (outcome.tcp.status !== "connected"
          ? `the conversation did not reach the target (${unanswered}), though it answers again: ` +
            "not a verdict on the target"
          : run.watch.tcpOnly && saidNothing(outcome)
          ? `the target sent nothing in this conversation (${unanswered}), and it failed the TLS ` +
            "sanity check, so accepting TCP is all it has shown: not a verdict on the target"
          : undefined);
      if (message) return { ...base, message, outcome, durationMs: took() };
    }
    const wanted = c.expect.checks.find((k) => k.path === "profile");
    const profiles = wanted && run.profiles
      ? await run.profiles.verdicts([wanted.expected].flat().map(String), options)
      : undefined;
    return judged(base, { c, outcome, profiles, durationMs: took() });
  } catch (e) {
    return { ...base, message: caseErrorMessage(e), durationMs: took() };
  }
}

/**
 * A case that ran: its base result with the verdict on its Outcome.
 *
 * @example
 * ```ts
 * import { judged } from "./_case.ts";
 * import type { Case } from "../scenario/mod.ts";
 * import type { Outcome } from "../outcome/mod.ts";
 * import type { CaseResult } from "./result.ts";
 * declare const base: CaseResult;
 * declare const c: Case;
 * declare const outcome: Outcome;
 * judged(base, { c, outcome, durationMs: 12 }).status; // "passed"
 * ```
 */
export function judged(
  base: CaseResult,
  o: { c: Case; outcome: Outcome; profiles?: ProfileVerdict[]; durationMs: number },
): CaseResult {
  const verdict = judgeOutcome(o.c.expect, o.outcome, { profiles: o.profiles });
  return { ...base, ...verdict, outcome: o.outcome, durationMs: o.durationMs };
}

/**
 * What a case's error says: a bad input's own message, or our bug's.
 *
 * @example
 * ```ts
 * import { caseErrorMessage } from "./_case.ts";
 * caseErrorMessage(new Error("boom")); // "internal error: boom"
 * ```
 */
export function caseErrorMessage(e: unknown): string {
  return e instanceof InputError ? e.message : `internal error: ${(e as Error).message}`;
}

/**
 * A result with no conversation: skipped, interrupted, or an error before
 * the case could run.
 *
 * @example
 * ```ts
 * import { emptyResult } from "./_case.ts";
 * import type { Case } from "../scenario/mod.ts";
 * declare const c: Case;
 * emptyResult(c, "interrupted", "the run was stopped before this case started");
 * ```
 */
export function emptyResult(
  c: Case,
  status: CaseResult["status"],
  message?: string,
): CaseResult {
  return {
    id: c.id,
    name: c.name,
    ...(c.description !== undefined ? { description: c.description } : {}),
    suite: c.suite,
    location: c.location,
    peer: c.peer,
    ...(c.matrix ? { matrix: c.matrix } : {}),
    tags: c.tags,
    status,
    ...(message ? { message } : {}),
    assertions: [],
    settings: caseSettings(c),
    startedAt: new Date().toISOString(),
    durationMs: 0,
  };
}

/**
 * The result of a case that will not run (its target is not usable, the SUT
 * did not start, the run was stopped): `status` with `message`, unless the
 * case is marked `skip:`, which it stays: a skipped case makes no claim about
 * the target, so nothing about the target makes it an error.
 *
 * @example
 * ```ts
 * import { notRun } from "./_case.ts";
 * import type { Case } from "../scenario/mod.ts";
 * declare const c: Case;
 * notRun(c, "error", "target not usable: TCP refused").status; // "skipped" when c.skip is set
 * ```
 */
export function notRun(c: Case, status: CaseResult["status"], message: string): CaseResult {
  return c.skip !== undefined ? emptyResult(c, "skipped", c.skip) : emptyResult(c, status, message);
}

async function raceAbort<T>(
  work: Promise<T>,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<T | "interrupted" | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<"interrupted" | "timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
    onAbort = () => resolve("interrupted");
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort);
  });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort!);
  }
}
