/**
 * What a terminal (or a log viewer) would act on instead of showing: C0
 * controls (ESC, CR, LF, NUL, ...), DEL, C1 controls (U+0080-U+009F, among
 * them the 8-bit CSI U+009B), invisible format characters (bidi embeddings,
 * overrides and isolates U+202A-U+202E and U+2066-U+2069, marks, zero-width
 * characters, soft hyphen, tags: Unicode category Cf), line and paragraph
 * separators, the unassigned rest of U+2060-U+206F, lone surrogates and the
 * non-characters U+FFFE/U+FFFF.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u2060-\u206F\uFFFE\uFFFF]/gu;
// The same without LF and TAB, for multi-line text shown outside a terminal.
const UNSAFE_BUT_LINES = /[^\P{Cc}\n\t]|[\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u2060-\u206F\uFFFE\uFFFF]/gu;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Options of {@linkcode terminalSafe}. */
export interface TerminalSafeOptions {
  /**
   * Keep line feeds and tabs as they are: for multi-line text (a peer's log)
   * shown in a report page, not for a line on a terminal. Default false.
   */
  keepLineBreaks?: boolean;
}

/**
 * The one sanitiser for text a peer controls (certificate subjects, alert
 * and error texts, AE titles, logs) on its way to a terminal: every control
 * or invisible format character becomes a visible escape, so a hostile
 * certificate cannot erase, rewrite or reorder what the console shows.
 * LF, CR and TAB become `\n`, `\r`, `\t`; other characters up to U+00FF
 * `\xHH` (ESC is `\x1B`, CSI `\x9B`); the rest `\u{HHHH}` (RLO is
 * `\u{202E}`). Everything else, printable Unicode included, is unchanged.
 *
 * @example
 * ```ts
 * terminalSafe("CN=ok\x1b[2K\r\u009b1A\u202Eevil"); // "CN=ok\\x1B[2K\\r\\x9B1A\\u{202E}evil"
 * terminalSafe("line 1\nline 2", { keepLineBreaks: true }); // unchanged
 * ```
 */
export function terminalSafe(text: string, options: TerminalSafeOptions = {}): string {
  return text.replace(options.keepLineBreaks ? UNSAFE_BUT_LINES : UNSAFE, escape);
}

function escape(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase();
  return code <= 0xff ? `\\x${hex.padStart(2, "0")}` : `\\u{${hex}}`;
}
