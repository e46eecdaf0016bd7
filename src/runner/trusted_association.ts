import type { Outcome } from "../outcome/mod.ts";
import type { Case } from "../scenario/mod.ts";
import { runScu } from "../scu/mod.ts";
import type { HarnessFiles } from "./harness.ts";
import type { TargetCheck } from "./target_watch.ts";
import { whyUnanswered } from "./unanswered.ts";

/**
 * The suite instance's trusted case: the first of `cases` in `group` that
 * expects the target to accept its association (`echo: success` or
 * `association: accepted`, over TLS, not a known failure), or undefined.
 * Taken from all the suite's cases, so that a shard or a tag selection
 * without it still has it to check the target with.
 *
 * @example
 * ```ts
 * import { trustedCase } from "./trusted_association.ts";
 * import type { Case } from "../scenario/mod.ts";
 * declare const cases: Case[];
 * trustedCase(cases, cases[0].group)?.name; // e.g. "trusted client certificate is accepted"
 * ```
 */
export function trustedCase(cases: readonly Case[], group: string): Case | undefined {
  return cases.find((c) =>
    c.group === group && c.skip === undefined && !c.harness.plain && !c.expect.fails &&
    c.expect.checks.some((k) =>
      (k.path === "echo" && k.expected === "success") ||
      (k.path === "association" && k.expected === "accepted")
    )
  );
}

/**
 * A check of the target by the trusted case's conversation (one C-ECHO,
 * whatever the case sends): it passes when the target accepts the
 * association, a DICOM answer only a live backend gives.
 *
 * @example
 * ```ts
 * import { trustedAssociationCheck } from "./trusted_association.ts";
 * import { HarnessFiles } from "./harness.ts";
 * import type { Case } from "../scenario/mod.ts";
 * declare const trusted: Case;
 * const check = trustedAssociationCheck(trusted, {
 *   harness: new HarnessFiles(),
 *   port: 11112,
 *   timeoutMs: 5000,
 * });
 * (await check()).ok; // true while the target accepts the trusted association
 * ```
 */
export function trustedAssociationCheck(
  trusted: Case,
  o: { harness: HarnessFiles; port: number; timeoutMs: number },
): TargetCheck {
  return async () => {
    const options = await o.harness.scuOptions(trusted, { port: o.port });
    const outcome = await runScu({
      ...options,
      timeoutMs: o.timeoutMs,
      operations: [{ command: "C-ECHO" }],
    });
    const ok = outcome.association?.result === "accepted";
    const which = `the trusted association (${trusted.name})`;
    return {
      ok,
      message: ok ? `${which} completed` : `${which} did not complete: ${ending(outcome)}`,
    };
  };
}

// What the trusted conversation came to instead of an A-ASSOCIATE-AC.
function ending(outcome: Outcome): string {
  const { tls, association } = outcome;
  // Its error already says how it closed, and that it was after the handshake.
  if (tls?.status === "refused-by-peer" && tls.closedWithoutAlert && tls.error) return tls.error;
  return whyUnanswered(outcome) ??
    (tls && tls.status !== "established"
      ? `TLS ${tls.status}${tls.error ? ` (${tls.error})` : ""}`
      : `association ${association?.result ?? "not requested"}${
        association?.error ? ` (${association.error})` : ""
      }`);
}
