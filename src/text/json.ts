/**
 * What JSON.stringify leaves raw but a terminal acts on or hides: DEL, C1
 * controls, Cf, Zl, Zp, and the unassigned rest of U+2060-U+206F (invisible
 * by default; U+2065 was found raw by the property test).
 */
const RAW = /[\u007F-\u009F\p{Cf}\p{Zl}\p{Zp}\u2060-\u206F\uFFFE\uFFFF]/gu;

/** Options of {@linkcode toJson}. */
export interface ToJsonOptions {
  /** Spaces per indentation level; default none (one line). */
  indent?: number;
  /** As `JSON.stringify`'s replacer function. */
  replacer?: (key: string, value: unknown) => unknown;
}

/**
 * The one JSON writer of every JSON output (results.json, `echo --json`,
 * `serve`'s log lines): `JSON.stringify`, then every character a terminal
 * would act on or hide and that JSON leaves raw (DEL, C1 controls such as
 * the 8-bit CSI U+009B, bidi overrides and isolates, other invisible format
 * characters, line and paragraph separators) written as a `\uXXXX` escape.
 * Such characters only occur inside JSON strings, where the escape means the
 * same character: parsing gives the exact value back, and printing the text
 * to a terminal is safe (JSON already escapes C0 controls).
 *
 * @example
 * ```ts
 * toJson({ subject: "CN=\u009b2J\u202E" }); // '{"subject":"CN=\\u009b2J\\u202e"}'
 * JSON.parse(toJson({ s: "\u202E" })).s === "\u202E"; // true
 * ```
 */
export function toJson(value: unknown, options: ToJsonOptions = {}): string {
  const text = JSON.stringify(value, options.replacer, options.indent) as string | undefined;
  return text?.replace(RAW, escapeUnit) ?? "null";
}

function escapeUnit(char: string): string {
  // Astral characters (tags, U+E0001...) as their two UTF-16 units, as JSON spells them.
  return [...Array(char.length).keys()]
    .map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`)
    .join("");
}
