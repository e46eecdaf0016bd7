/**
 * Whether `uid` is a UID as PS3.5 9.1 builds them: at most 64 characters,
 * components of digits separated by single dots, no component empty and
 * none with a leading zero (except "0" itself). `.`, `..`, `1..2`, `01.2`,
 * a trailing NUL or space, or letters are not.
 *
 * @example
 * ```ts
 * import { isValidUid } from "./uid.ts";
 * isValidUid("1.2.840.10008.1.1"); // true
 * isValidUid(".."); // false
 * isValidUid("1.02"); // false
 * ```
 */
export function isValidUid(uid: string): boolean {
  return uid.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(uid);
}
