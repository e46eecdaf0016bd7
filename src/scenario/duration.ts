const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/**
 * Parses a scenario duration: milliseconds as a number, or a string with a
 * unit (`500ms`, `5s`, `1.5s`, `2m`). Returns undefined for anything else.
 *
 * @example
 * ```ts
 * import { parseDuration } from "./duration.ts";
 * parseDuration("5s"); // 5000
 * parseDuration(250); // 250
 * parseDuration("5 sec"); // undefined
 * ```
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number") return value >= 0 && Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value.trim());
  return m ? Math.round(Number(m[1]) * UNITS[m[2]]) : undefined;
}

/**
 * Formats milliseconds for messages, as a scenario would write them: `500ms`,
 * `5s`, `1.5s`, whole minutes as `30m`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./duration.ts";
 * formatDuration(1500); // "1.5s"
 * formatDuration(3_600_000); // "60m"
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms < 1000 ? `${ms}ms` : `${Math.round(ms / 100) / 10}s`;
}
