/** Lowercase, without `_`, `-`, spaces and dots: the key names are compared by. */
import type { CodeName } from "../../outcome/wire.ts";
export type { CodeName };
export function _nameKey(name: string): string {
  return name.toLowerCase().replace(/[\s_.-]/g, "");
}

/** `0x1301` style, as the RFCs and tshark write codes. */
export function _hex16(code: number): string {
  return `0x${code.toString(16).padStart(4, "0")}`;
}

/**
 * A lookup by code or by name (case-insensitive, `_`/`-`/`.` ignored) over
 * `[code, name]` rows; the first row wins a name shared by two codes.
 */
export function _codeNameTable(
  rows: readonly (readonly [number, string])[],
): (codeOrName: number | string) => CodeName | undefined {
  const byCode = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const [code, name] of rows) {
    if (!byCode.has(code)) byCode.set(code, name);
    const key = _nameKey(name);
    if (!byName.has(key)) byName.set(key, code);
  }
  return (codeOrName) => {
    if (typeof codeOrName === "number") {
      const name = byCode.get(codeOrName);
      return name === undefined ? undefined : { code: codeOrName, name };
    }
    const code = byName.get(_nameKey(codeOrName));
    return code === undefined ? undefined : { code, name: byCode.get(code)! };
  };
}

/** RFC 8701 GREASE: 0x0A0A, 0x1A1A, ..., 0xFAFA (both bytes equal, low nibble A). */
export function _isGreaseCode(code: number): boolean {
  return (code & 0x0f0f) === 0x0a0a && (code >> 8) === (code & 0xff);
}

/** `{ code, name }` from a table, else GREASE or `unknown_0xNNNN`. */
export function _ref(
  lookup: (code: number) => CodeName | undefined,
  code: number,
): CodeName {
  if (_isGreaseCode(code)) return { code, name: "GREASE", grease: true };
  return lookup(code) ?? { code, name: `unknown_${_hex16(code)}` };
}
