import type { YamlPath, YamlSource } from "../yaml/mod.ts";
import { formatDuration, parseDuration } from "./duration.ts";
import { AE_TITLE_RULE, aeTitleProblem } from "../ul/ae_title.ts";
import { HOST_RULE, hostProblem } from "../tls/host.ts";

/** How to write a duration, for hints. */
export const DURATION_HINT = `write milliseconds as a number, or a number with ms, s or m, e.g. ${
  formatDuration(5000)
}`;

/**
 * The longest timeout: a timer longer than 2^31 - 1 ms (24.8 days) fires at
 * once, so a case with `timeout: 99999999999s` would time out as it starts.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** A timeout at `path` in milliseconds (at least 1), or an InputError there. */
export function durationAt(value: unknown, path: YamlPath, source: YamlSource): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw source.error(path, `'${value}' is not a duration`, DURATION_HINT);
  // A zero wait ends before the first byte: the run would blame a target it never gave a chance.
  if (ms === 0) {
    throw source.error(
      path,
      `the timeout '${value}' is zero: the wait would end before anything could happen`,
      "give a positive one, e.g. 5s",
    );
  }
  if (ms > MAX_TIMEOUT_MS) {
    throw source.error(
      path,
      `the timeout '${value}' is longer than ${MAX_TIMEOUT_MS} ms (24.8 days), the longest a timer can wait`,
      "give a shorter one, e.g. 5m",
    );
  }
  return ms;
}

/**
 * A TCP port at `path` (a number or a string of digits), or an InputError there
 * naming the variables it came from.
 */
export function portAt(value: unknown, path: YamlPath, source: YamlSource): number {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  const problem = typeof n !== "number"
    ? `port '${value}' is not a number`
    : Number.isInteger(n) && n >= 1 && n <= 65535
    ? undefined
    : `port ${n} is out of range`;
  checkedAt(String(value), () => problem, "a TCP port is a whole number from 1 to 65535", {
    value,
    path,
    source,
  });
  return n as number;
}

// The value as written at `path`, before interpolation.
function written(source: YamlSource, path: YamlPath): unknown {
  // deno-lint-ignore no-explicit-any
  return path.reduce<any>((v, k) => v?.[k], source.value);
}

// Where an interpolated value came from, for the message: "(from '${set.ae}')".
function origin(value: unknown, path: YamlPath, source: YamlSource): string {
  const raw = written(source, path);
  return typeof raw === "string" && raw !== value ? ` (from '${raw}')` : "";
}

/** An AE title at `path` (after interpolation), or an InputError there. */
export function aeTitleAt(value: unknown, path: YamlPath, source: YamlSource): string {
  return checkedAt(String(value), aeTitleProblem, AE_TITLE_RULE, { value, path, source });
}

/** A host to connect to at `path` (after interpolation), or an InputError there. */
export function hostAt(value: unknown, path: YamlPath, source: YamlSource): string {
  return checkedAt(String(value ?? ""), hostProblem, HOST_RULE, { value, path, source });
}

// The value, or its problem at its line, naming the variables it came from.
function checkedAt(
  text: string,
  problemOf: (text: string) => string | undefined,
  rule: string,
  at: { value: unknown; path: YamlPath; source: YamlSource },
): string {
  const problem = problemOf(text);
  if (!problem) return text;
  const from = origin(at.value, at.path, at.source);
  throw at.source.error(
    at.path,
    `${problem}${from}`,
    from ? `${rule}; check what its variables are given (--set, --vars, the environment)` : rule,
  );
}
