/**
 * `text` when it has at most `max` characters, else its first `max` and how
 * long it was: for a line a peer can make as long as its messages allow (a
 * certificate subject of 60 KB) on its way to a terminal.
 *
 * @example
 * ```ts
 * import { clipLine } from "./clip.ts";
 * clipLine("OU=a, ".repeat(1000), 12); // "OU=a, OU=a, ... (6,000 characters)"
 * ```
 */
export function clipLine(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}... (${text.length.toLocaleString("en")} characters)`;
}
