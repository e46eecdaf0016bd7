import type { CaseResult, RunResult } from "../runner/result.ts";

/** About how much text a report chunk gathers: large reports are written a chunk at a time. */
const CHUNK_CHARS = 1 << 20;

/**
 * Texts gathered into chunks of about 1 MB: a report of many cases is
 * written piece by piece, never held as one string (nor as one string per case
 * in an array).
 */
export function* _chunked(texts: Iterable<string>): Generator<string> {
  let chunk = "";
  for (const text of texts) {
    chunk += text;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  yield chunk;
}

/**
 * A report text of the whole run made with each suite's cases left out,
 * then the cases put in their place a chunk at a time: `text` renders the
 * run whose suites hold one placeholder string each instead of their cases
 * (none when a suite has none); `cases(suite, indent)` gives that suite's
 * cases as text, `indent` being the spaces before its placeholder.
 */
export function* _spliceCases(
  run: RunResult,
  text: (shell: RunResult) => string,
  cases: (suite: number, indent: string) => Iterable<string>,
): Generator<string> {
  const token = `@@dicomtls-cases-${crypto.randomUUID()}`;
  const whole = text({
    ...run,
    suites: run.suites.map((s, i) =>
      s.cases.length ? { ...s, cases: [`${token}-${i}`] as unknown as CaseResult[] } : s
    ),
  });
  let at = 0;
  for (const m of whole.matchAll(new RegExp(`( *)"${token}-(\\d+)"`, "g"))) {
    yield whole.slice(at, m.index);
    yield* _chunked(cases(Number(m[2]), m[1]));
    at = m.index + m[0].length;
  }
  yield whole.slice(at);
}
