import type { YamlPath, YamlSource } from "../yaml/mod.ts";
import { formatDuration, parseDuration } from "./duration.ts";

/** How to write a duration, for hints. */
export const DURATION_HINT = `write milliseconds as a number, or a number with ms, s or m, e.g. ${
  formatDuration(5000)
}`;

/** A duration at `path` in milliseconds, or an InputError there. */
export function durationAt(value: unknown, path: YamlPath, source: YamlSource): number {
  const ms = parseDuration(value);
  if (ms !== undefined) return ms;
  throw source.error(
    path,
    `'${value}' is not a duration`,
    DURATION_HINT,
  );
}

/** A TCP port at `path` (a number or a string of digits), or an InputError there. */
export function portAt(value: unknown, path: YamlPath, source: YamlSource): number {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535) return n;
  throw source.error(
    path,
    typeof n === "number" ? `port ${n} is out of range` : `port '${value}' is not a number`,
    "a TCP port is a whole number from 1 to 65535",
  );
}
