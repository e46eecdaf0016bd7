/**
 * What an AE title must be (PS3.5 6.2, VR AE; PS3.8 9.3.2): 1 to 16
 * characters of the default character repertoire (printable ASCII, 0x20 to
 * 0x7E) without backslash, and not all spaces. The encoder pads to 16
 * characters and refuses a longer title (a RangeError, our bug), so every
 * title given by a user is checked here first: suites, variables, flags.
 */
export const AE_TITLE_RULE =
  "an AE title is 1 to 16 printable ASCII characters, no backslash, not all spaces (PS3.5 6.2)";

/**
 * What is wrong with an AE title, as a phrase that starts with the title
 * (control and non-ASCII characters shown as `\uXXXX`); undefined when it is
 * a valid AE title.
 *
 * @example
 * ```ts
 * import { aeTitleProblem } from "./ae_title.ts";
 * aeTitleProblem("STORESCP"); // undefined
 * aeTitleProblem("A-VERY-LONG-AE-TITLE-22"); // "AE title 'A-VERY-LONG-AE-TITLE-22' has 23 characters, more than 16"
 * ```
 */
export function aeTitleProblem(ae: string): string | undefined {
  const title = `AE title '${shown(ae)}'`;
  if (ae.length === 0) return "the AE title is empty";
  const bad = [...ae].find((c) => c < " " || c > "~" || c === "\\");
  if (bad === "\\") return `${title} has a backslash (the DICOM value separator)`;
  if (bad !== undefined) {
    const what = bad < " " || bad === "\x7f" ? "a control character" : "a character";
    return `${title} has ${what} outside the default character repertoire (${shown(bad)})`;
  }
  if (ae.length > 16) return `${title} has ${ae.length} characters, more than 16`;
  if (ae.trim() === "") return `${title} is all spaces`;
  return undefined;
}

// Printable ASCII as is, anything else as \uXXXX: a title may reach a terminal.
function shown(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/gu,
    (c) => `\\u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`,
  );
}
