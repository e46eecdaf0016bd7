import type { RunInvocation, RunResult } from "../runner/result.ts";

// The host name needs --allow-sys; a report without it is still a report.
function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown host";
  }
}

/**
 * How this process was started, for the header of its reports: `dicomtls`
 * and `args` (the command and its arguments as typed), the host name, the
 * working folder and the home folder.
 *
 * @example
 * ```ts
 * import { currentInvocation } from "./_invocation.ts";
 * currentInvocation(["run", "scenarios/demo"]).commandLine; // ["dicomtls", "run", "scenarios/demo"]
 * ```
 */
export function currentInvocation(args: readonly string[]): RunInvocation {
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE");
  return {
    commandLine: ["dicomtls", ...args],
    host: hostName(),
    workingDirectory: Deno.cwd(),
    ...(home ? { home } : {}),
  };
}

/**
 * The run with its invocation, placed after the run's times so that a reader
 * of results.json meets it before the suites.
 *
 * @example
 * ```ts
 * import { currentInvocation, withInvocation } from "./_invocation.ts";
 * import type { RunResult } from "../runner/result.ts";
 * declare const run: RunResult;
 * const stamped = withInvocation(run, currentInvocation(["run", "scenarios/demo"]));
 * ```
 */
export function withInvocation(run: RunResult, invocation: RunInvocation): RunResult {
  const { schemaVersion, tool, startedAt, finishedAt, durationMs, invocation: _, ...rest } = run;
  return { schemaVersion, tool, startedAt, finishedAt, durationMs, invocation, ...rest };
}
