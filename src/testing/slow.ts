/**
 * Whether the long variants of tests run: `DICOMTLS_SLOW_TESTS=1` (any
 * value) asks for them. By default a test runs its quick variant, which
 * asks the same question on less (a shorter flood, a smaller object, fewer
 * suites checked against OpenSSL), to keep the CI run under its budget.
 *
 * @example
 * ```ts
 * import { slowTests } from "./slow.ts";
 * const seconds = slowTests() ? 60 : 15;
 * ```
 */
export function slowTests(): boolean {
  return Deno.env.get("DICOMTLS_SLOW_TESTS") !== undefined;
}
