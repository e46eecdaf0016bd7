import { InputError } from "../yaml/input_error.ts";
import { thumbprintOf } from "./certificate_info.ts";

/**
 * Normalises accepted thumbprints as common DICOM SDKs take them: SHA-1 (40 hex
 * digits) or SHA-256 (64), any case, with or without separators (space,
 * colon, dash), given as a list or as one semicolon-separated string.
 * Returns uppercase hex without separators. Throws {@linkcode InputError}
 * for a value that is not a SHA-1 or SHA-256 thumbprint.
 *
 * @example
 * ```ts
 * import { parseThumbprints } from "./thumbprint.ts";
 * parseThumbprints("a1:b2:...:ff; 3F 9A ...");
 * // ["A1B2...FF", "3F9A..."]
 * ```
 */
export function parseThumbprints(input: string | readonly string[]): string[] {
  const items = (typeof input === "string" ? [input] : input).flatMap((s) => s.split(";"));
  const result: string[] = [];
  for (const item of items) {
    // Windows' certificate dialog copies an invisible left-to-right mark in front.
    const hex = item.replace(/[\s:\-\u200e\u200f\ufeff]/g, "").toUpperCase();
    if (hex === "") continue;
    if (!/^[0-9A-F]+$/.test(hex) || (hex.length !== 40 && hex.length !== 64)) {
      throw new InputError({
        message: `invalid thumbprint '${item.trim()}': expected ${
          /^[0-9A-F]+$/.test(hex) ? `40 or 64 hex digits, got ${hex.length}` : "hex digits only"
        }`,
        hint: "give the SHA-1 (40 hex digits) or SHA-256 (64) thumbprint of the certificate",
      });
    }
    result.push(hex);
  }
  if (result.length === 0) {
    throw new InputError({
      message: "no thumbprint given",
      hint: "give at least one SHA-1 or SHA-256 thumbprint, e.g. --thumbprint A1B2...",
    });
  }
  return result;
}

/**
 * Whether a certificate (DER) matches one of the accepted thumbprints
 * (normalised by {@linkcode parseThumbprints}); SHA-1 and SHA-256 both count.
 *
 * @example
 * ```ts
 * import { parseThumbprints, thumbprintAccepted } from "./thumbprint.ts";
 * declare const der: Uint8Array;
 * thumbprintAccepted(der, parseThumbprints(["A1B2..."])); // true or false
 * ```
 */
export function thumbprintAccepted(der: Uint8Array, accepted: readonly string[]): boolean {
  const sha1 = thumbprintOf(der, "sha1");
  const sha256 = thumbprintOf(der, "sha256");
  return accepted.some((t) => t === sha1 || t === sha256);
}
