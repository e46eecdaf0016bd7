/**
 * Whether to colour what goes to `stream`: `FORCE_COLOR` (any value but `0`
 * or `false`) turns colour on even into a pipe, `NO_COLOR` (any non-empty
 * value) turns it off; otherwise colour when the stream is a terminal. As in
 * Node.js, FORCE_COLOR wins over NO_COLOR.
 *
 * @example
 * ```ts
 * import { useColor } from "./_color.ts";
 * const color = useColor(Deno.stdout); // false in a pipe unless FORCE_COLOR=1
 * ```
 */
export function useColor(stream: { isTerminal(): boolean }): boolean {
  const force = Deno.env.get("FORCE_COLOR");
  if (force !== undefined) return !["0", "false"].includes(force.toLowerCase());
  if (Deno.env.get("NO_COLOR")) return false;
  return stream.isTerminal();
}
